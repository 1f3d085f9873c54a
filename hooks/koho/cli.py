"""`koho`: the editors' command line.

    koho check [--lang en]          check every page without building
    koho build [--site-dir site]    build the whole site; replace site/ only if the build succeeds
    koho mail [--dry-run] [--since DATE]   send new notices to each language's mail list
    koho mail --init [--since DATE] record the current notices as sent, sending nothing
    koho new notice|procedure|page "タイトル"   write a new page that passes koho check
    koho guide                      refresh the generated tables in EDITING.md
    koho links [--site-dir site]    check every link of the built site; list links to other sites
    koho csp [--update FILE ...]    the Content-Security-Policy the built site needs (and update samples)
    koho translations [--json] [--fail-on outdated|missing|unmarked]   every translation's status
    koho translations mark PATH ... | --unmarked   record that translations match their originals now
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.config.base import load_config
from mkdocs.exceptions import ConfigurationError, PluginError

from . import (
    content,
    deploy,
    easy_japanese,
    guide,
    link_report,
    mail,
    skeletons,
    translations_status,
    validation,
)
from .notices import Notice, build_time, parse_date
from .plugin import load_site_settings
from .settings import Settings
from .templates import THEME_DIR, Templates


def project_root(start: Path | None = None) -> Path:
    """The nearest folder, from `start` upwards, that holds mkdocs.yml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").exists():
            return folder
    raise SystemExit(
        "mkdocs.yml が見つかりません。サイトのフォルダで実行してください。 (mkdocs.yml not found)"
    )


def read_content(root: Path) -> tuple[list[Notice], list[validation.Problem]]:
    """The site's notices, and every problem the build would refuse, without building."""
    settings = load_settings(root)
    _, found, problems = content.read_checked(settings, root / "docs")
    return found, problems


def load_settings(root: Path) -> Settings:
    try:
        return load_site_settings(root)
    except (ConfigurationError, PluginError) as error:
        raise SystemExit(f"mkdocs.yml: {error}") from error


def all_problems(root: Path) -> list[validation.Problem]:
    return read_content(root)[1]


def check(root: Path, lang: str) -> int:
    settings = load_settings(root)
    pages, _, problems = content.read_checked(settings, root / "docs")
    warnings = easy_japanese.check(pages, settings.easy_japanese, settings.root)
    for problem in problems:
        print(validation.format_problem(problem, lang), file=sys.stderr)
    for warning in warnings:  # reported, never a reason to stop
        print(("注意 " if lang == "ja" else "warning: ") + validation.format_problem(warning, lang),
              file=sys.stderr)
    if warnings:
        print(f"やさしい日本語の注意 {len(warnings)} 件（サイトは作れます）。" if lang == "ja"
              else f"{len(warnings)} Easy Japanese warning(s) (they do not stop the build).", file=sys.stderr)
    if problems:
        print(_count_message(len(problems), lang), file=sys.stderr)
        return 1
    print("問題はありません。" if lang == "ja" else "No problems found.")
    return 0


def _count_message(count: int, lang: str) -> str:
    return f"{count} 件の問題があります。" if lang == "ja" else f"{count} problem(s) found."


def build(root: Path, site_dir: Path) -> int:
    """Build into a staging folder and swap it in, so a failed build leaves the
    last good site untouched."""
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    staging = site_dir.with_name(f".{site_dir.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(staging)]
    result = subprocess.run(command, cwd=root, env=env)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print("サイトは更新していません（前回のサイトのままです）。 The site was not changed.",
              file=sys.stderr)
        return result.returncode
    previous = site_dir.with_name(f".{site_dir.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
    return 0


def send_mail(root: Path, dry_run: bool, init: bool = False, since: str | None = None) -> int:
    """Send what each list has not had yet. With no state file nothing is sent: `init`
    records the current notices as sent instead (all, or those before `since`)."""
    settings = load_settings(root)
    found, problems = read_content(root)
    if problems:
        for problem in problems:
            print(validation.format_problem(problem), file=sys.stderr)
        return 1
    mail_settings = mail.settings_from(settings, dict(os.environ))
    now = build_time(settings.timezone)
    since_time = parse_date(since, settings.timezone) if since else None
    if since and since_time is None:
        print(f"--since {since}: 2026-11-27 または 2026-11-27 09:00 の形で書いてください。 "
              f"Write --since as 2026-11-27 or 2026-11-27 09:00.", file=sys.stderr)
        return 2
    if init:
        return init_mail(root, mail_settings, found, now, since_time, dry_run)
    try:
        state = mail.load_state(mail_settings.state_file)
    except mail.StateError as error:
        return _state_refused(root, mail_settings.state_file, error)
    deliveries = mail.pending(found, state, mail_settings.lists, now, since_time)

    templates = mail_templates(root)

    def compose(delivery: mail.Delivery):
        lang = settings.language(delivery.notice.locale)
        return mail.compose(delivery, mail_settings, settings.strings(lang.locale), lang.tag, now, templates,
                            settings.markdown)

    if dry_run:
        for delivery in deliveries:
            message = compose(delivery)
            print(f"{delivery.address}\t{message['Subject']}\t{delivery.notice.identity}")
        print(f"{len(deliveries)} 通を送信します（--dry-run のため送っていません）。 "
              f"{len(deliveries)} message(s) would be sent.")
        return 0
    report = mail.deliver(deliveries, mail_settings, state, compose)
    print(f"{len(report.sent)} 通を送信しました。 {len(report.sent)} message(s) sent.")
    if report.error:
        left = len(deliveries) - len(report.sent)
        print(f"送信を中断しました（{report.error}）。残りの {left} 通は次回送ります。 "
              f"Stopped: {report.error}; {left} message(s) left for the next run.", file=sys.stderr)
        return 1
    return 0


def init_mail(root: Path, mail_settings: mail.MailSettings, found: list[Notice], now, since,
              dry_run: bool) -> int:
    """`koho mail --init`: a new state file with the current notices recorded as sent."""
    path = mail_settings.state_file
    if path.exists():
        return _state_refused(root, path, mail.StateError("mail_state_exists"))
    state = mail.initial_state(found, mail_settings.lists, now, since)
    recorded = sum(len(sent) for sent in state.values())
    left = len(mail.pending(found, state, mail_settings.lists, now))
    if not dry_run:
        mail.save_state(path, state)
    shown = validation.shown_path(path, root)
    note = "（--dry-run のため書いていません）" if dry_run else ""
    print(f"{shown}: {recorded} 件のお知らせを送信済みとして記録しました{note}。何も送っていません。"
          f"次の koho mail で送るのは {left} 通です。 Recorded {recorded} notice(s) as sent"
          f"{' (dry run: not written)' if dry_run else ''}; nothing was sent; "
          f"the next koho mail sends {left} message(s).")
    return 0


def _state_refused(root: Path, path: Path, error: mail.StateError) -> int:
    problem = validation.Problem(validation.shown_path(path, root), error.line, "mail state", error.code,
                                 error.found)
    for lang in ("ja", "en"):
        print(validation.format_problem(problem, lang), file=sys.stderr)
    return 1


def mail_templates(root: Path) -> Templates:
    """Koho's partials as the build finds them: the site's own (theme.custom_dir) over Koho's."""
    custom_dir = load_config(str(root / "mkdocs.yml")).theme.custom_dir
    site_folders = [Path(custom_dir)] if custom_dir else []
    return Templates.from_folders([*site_folders, THEME_DIR])


def check_links(root: Path, site_dir: Path, site_url: str | None, external: Path | None) -> int:
    """`koho links`: every internal link and #anchor of the built site's pages, feeds and
    sitemaps must resolve; links to other sites are listed (to `external`), never fetched."""
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    if not site_dir.is_dir():
        print(f"{site_dir}: サイトがありません。先に koho build を実行してください。 "
              f"No built site: run koho build first.", file=sys.stderr)
        return 2
    url = site_url or load_config(str(root / "mkdocs.yml")).site_url or "/"
    report = link_report.check_site(site_dir, url)
    for broken in report.broken:
        print(broken, file=sys.stderr)
    if external:
        external.write_text("".join(f"{line}\n" for line in report.external_lines()), encoding="utf-8")
    else:
        print("\n".join(report.external_lines()))
    print(report.summary(), file=sys.stderr if report.broken else sys.stdout)
    return 1 if report.broken else 0


def content_security_policy(root: Path, site_dir: Path, update: list[Path]) -> int:
    """`koho csp`: print the policy the built site needs; with --update, write it into
    sample configurations (deploy/nginx.conf, deploy/_headers)."""
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    try:
        policy = deploy.content_security_policy(site_dir)
        for path in update:
            text = path.read_text(encoding="utf-8")
            changed = deploy.with_policy(text, policy)
            if changed != text:
                path.write_text(changed, encoding="utf-8")
            print(f"{path}: {'updated' if changed != text else 'up to date'}", file=sys.stderr)
    except (deploy.DeployError, OSError) as error:
        print(f"koho csp: {error}", file=sys.stderr)
        return 1
    print(policy)
    return 0


def new_page(root: Path, kind: str, title: str) -> int:
    settings = load_settings(root)
    path = skeletons.create(root / "docs", kind, title, build_time(settings.timezone),
                            settings.default_language.locale)
    print(path.relative_to(root).as_posix())
    return 0


STATE_WORDS = {"orphaned": "原文がない", "outdated": "原文が変わった", "unmarked": "未確認",
               "missing": "翻訳なし", "current": "最新"}


def translations(root: Path, as_json: bool, fail_on: list[str]) -> int:
    """`koho translations`: per language, every page's state and the totals. Exits 1 on an
    orphaned translation, a file that cannot be read, or a state named by --fail-on."""
    settings = load_settings(root)
    report, problems = translations_status.site_report(settings, root / "docs")
    languages = [lang for lang in settings.languages if not lang.default]
    if as_json:
        print(json.dumps(translations_status.as_json(report, list(settings.languages)), ensure_ascii=False,
                         indent=2))
    else:
        for lang in languages:
            print(f"{lang.locale} ({lang.name})")
            for status in report.of(lang.locale):
                changed = (f"  原文の更新日 original updated {status.original_changed.isoformat()}"
                           if status.original_changed else "")
                state = f"{status.state} {STATE_WORDS[status.state]}"
                print(f"  {state:<18} docs/{lang.locale}/{status.path}{changed}")
            counts = report.counts(lang.locale)
            print("  合計 total: " + ", ".join(f"{STATE_WORDS[state]} {state} {counts[state]}"
                                              for state in translations_status.STATES))
    for problem in problems:
        print(validation.format_problem(problem), file=sys.stderr)
    if problems:
        print(f"{len(problems)} 件のファイルを読めないため、その状況は分かりません。koho check で確かめて"
              f"ください。 {len(problems)} file(s) could not be read; run koho check.", file=sys.stderr)
    failing = {"orphaned", *fail_on}
    found = [s for s in report.statuses if s.state in failing]
    if found:
        print(f"{len(found)} 件: {', '.join(sorted({s.state for s in found}))}。 "
              f"{len(found)} translation(s) are {' or '.join(sorted({s.state for s in found}))}.",
              file=sys.stderr)
    return 1 if found or problems else 0


def mark_translations(root: Path, paths: list[Path], unmarked: bool) -> int:
    """`koho translations mark`: record in each translation the present version of its original.
    Every file is checked first; nothing is written unless all can be."""
    settings = load_settings(root)
    docs_dir = root / "docs"
    if unmarked:
        report, _ = translations_status.site_report(settings, docs_dir)
        paths = [*paths, *translations_status.unmarked_files(report, docs_dir)]
    if not paths:
        print("翻訳のファイルを指定してください（または --unmarked）。 Name a translation's file "
              "(or use --unmarked).", file=sys.stderr)
        return 2
    markings, problems = [], []
    for path in paths:
        try:
            markings.append(translations_status.plan_mark(path, settings, docs_dir))
        except translations_status.MarkError as error:
            problems.extend(error.problems)
    if problems:
        for problem in problems:
            print(validation.format_problem(problem), file=sys.stderr)
        print("何も書き換えていません。 Nothing was changed.", file=sys.stderr)
        return 1
    for marking in markings:
        translations_status.write_mark(marking)
        print(f"{marking.shown}: {translations_status.MARK_FIELD}: {marking.version} "
              f"（{marking.original} の今の版 the present version of {marking.original}）")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="koho", description="Koho: 自治体サイトの確認と作成")
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="ページを確認します (check all pages)")
    check_parser.add_argument("--lang", choices=["ja", "en"], default="ja")
    build_parser = commands.add_parser("build", help="サイトを作ります (build the site)")
    build_parser.add_argument("--site-dir", type=Path, default=Path("site"))
    mail_parser = commands.add_parser("mail", help="お知らせをメールで送ります (send notices by mail)")
    mail_parser.add_argument("--dry-run", action="store_true",
                             help="送らずに、送る内容を表示します (print, do not send)")
    mail_parser.add_argument("--init", action="store_true",
                             help="今あるお知らせを送信済みとして記録します。何も送りません "
                                  "(record the current notices as sent; send nothing)")
    mail_parser.add_argument("--since", metavar="DATE",
                             help="この日時より前のお知らせは送りません "
                                  "(never send notices from before DATE)")
    new_parser = commands.add_parser("new", help="新しいページを作ります (write a new page)")
    new_parser.add_argument("kind", choices=list(skeletons.KINDS))
    new_parser.add_argument("title")
    commands.add_parser("guide", help="EDITING.md の表を更新します (refresh EDITING.md)")
    links_parser = commands.add_parser("links", help="作ったサイトのリンクを確認します "
                                                     "(check the built site's links)")
    links_parser.add_argument("--site-dir", type=Path, default=Path("site"))
    links_parser.add_argument("--site-url", help="absolute links to the site start with it "
                                                 "(default: site_url of mkdocs.yml)")
    links_parser.add_argument("--external", type=Path, metavar="FILE",
                              help="write the links to other sites to FILE (default: print them)")
    csp_parser = commands.add_parser("csp", help="Content-Security-Policy を表示します "
                                                 "(print the built site's CSP)")
    csp_parser.add_argument("--site-dir", type=Path, default=Path("site"))
    csp_parser.add_argument("--update", type=Path, nargs="+", default=[], metavar="FILE",
                            help="write it into these nginx or _headers files")
    translations_parser = commands.add_parser(
        "translations", help="翻訳の状況を表示します (translation status of every page)")
    translations_parser.add_argument("--json", action="store_true", help="JSON で表示します (as JSON)")
    translations_parser.add_argument(
        "--fail-on", action="append", default=[], choices=["outdated", "missing", "unmarked"],
        help="この状態の翻訳があれば 1 で終わります (exit 1 if any translation is in this state)")
    translations_commands = translations_parser.add_subparsers(dest="translations_command")
    mark_parser = translations_commands.add_parser(
        "mark", help="翻訳が今の原文に合っていることを記録します (record that translations match their "
                     "originals now)")
    mark_parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                             help="翻訳のファイル (a translation's file, e.g. docs/en/about.md)")
    mark_parser.add_argument("--unmarked", action="store_true",
                             help="まだ記録のない翻訳すべて (every translation not marked yet)")
    args = parser.parse_args(argv)
    root = project_root()
    if args.command == "translations":
        if args.translations_command == "mark":
            return mark_translations(root, args.paths, args.unmarked)
        return translations(root, args.json, args.fail_on)
    if args.command == "guide":
        changed = guide.write(root / "EDITING.md")
        print("EDITING.md を更新しました。" if changed else "EDITING.md は最新です。")
        return 0
    if args.command == "new":
        return new_page(root, args.kind, args.title)
    if args.command == "check":
        return check(root, args.lang)
    if args.command == "links":
        return check_links(root, args.site_dir, args.site_url, args.external)
    if args.command == "csp":
        return content_security_policy(root, args.site_dir, args.update)
    if args.command == "mail":
        return send_mail(root, args.dry_run, args.init, args.since)
    return build(root, args.site_dir)


if __name__ == "__main__":
    sys.exit(main())
