"""`koho`: the editors' command line.

    koho check [--lang en]          check every page without building
    koho build [--site-dir site]    build the whole site; replace site/ only if the build succeeds
    koho mail [--dry-run]           send new notices to each language's mail list
    koho new notice|procedure|page "タイトル"   write a new page that passes koho check
    koho guide                      refresh the generated tables in EDITING.md
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.config.base import load_config
from mkdocs.exceptions import ConfigurationError, PluginError

from . import content, guide, mail, skeletons, validation
from .notices import Notice, build_time
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
    problems = all_problems(root)
    for problem in problems:
        print(validation.format_problem(problem, lang), file=sys.stderr)
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


def send_mail(root: Path, dry_run: bool) -> int:
    settings = load_settings(root)
    found, problems = read_content(root)
    if problems:
        for problem in problems:
            print(validation.format_problem(problem), file=sys.stderr)
        return 1
    mail_settings = mail.settings_from(settings, dict(os.environ))
    now = build_time(settings.timezone)
    deliveries = mail.pending(found, mail.load_state(mail_settings.state_file),
                              mail_settings.lists, now)

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
    report = mail.deliver(deliveries, mail_settings, compose)
    print(f"{len(report.sent)} 通を送信しました。 {len(report.sent)} message(s) sent.")
    if report.error:
        left = len(deliveries) - len(report.sent)
        print(f"送信を中断しました（{report.error}）。残りの {left} 通は次回送ります。 "
              f"Stopped: {report.error}; {left} message(s) left for the next run.", file=sys.stderr)
        return 1
    return 0


def mail_templates(root: Path) -> Templates:
    """Koho's partials as the build finds them: the site's own (theme.custom_dir) over Koho's."""
    custom_dir = load_config(str(root / "mkdocs.yml")).theme.custom_dir
    site_folders = [Path(custom_dir)] if custom_dir else []
    return Templates.from_folders([*site_folders, THEME_DIR])


def new_page(root: Path, kind: str, title: str) -> int:
    settings = load_settings(root)
    path = skeletons.create(root / "docs", kind, title, build_time(settings.timezone),
                            settings.default_language.locale)
    print(path.relative_to(root).as_posix())
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
    new_parser = commands.add_parser("new", help="新しいページを作ります (write a new page)")
    new_parser.add_argument("kind", choices=list(skeletons.KINDS))
    new_parser.add_argument("title")
    commands.add_parser("guide", help="EDITING.md の表を更新します (refresh EDITING.md)")
    args = parser.parse_args(argv)
    root = project_root()
    if args.command == "guide":
        changed = guide.write(root / "EDITING.md")
        print("EDITING.md を更新しました。" if changed else "EDITING.md は最新です。")
        return 0
    if args.command == "new":
        return new_page(root, args.kind, args.title)
    if args.command == "check":
        return check(root, args.lang)
    if args.command == "mail":
        return send_mail(root, args.dry_run)
    return build(root, args.site_dir)


if __name__ == "__main__":
    sys.exit(main())
