"""`koho`: the editors' command line.

    koho check [--lang en]   check every page without building
    koho build [--site-dir site]   build the whole site; replace site/ only if the build succeeds
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import validation


def project_root(start: Path | None = None) -> Path:
    """The nearest folder, from `start` upwards, that holds mkdocs.yml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").exists():
            return folder
    raise SystemExit(
        "mkdocs.yml が見つかりません。サイトのフォルダで実行してください。 (mkdocs.yml not found)"
    )


def check(root: Path, lang: str) -> int:
    problems = validation.check_docs(root / "docs", root)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="koho", description="Koho: 自治体サイトの確認と作成")
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="ページを確認します (check all pages)")
    check_parser.add_argument("--lang", choices=["ja", "en"], default="ja")
    build_parser = commands.add_parser("build", help="サイトを作ります (build the site)")
    build_parser.add_argument("--site-dir", type=Path, default=Path("site"))
    args = parser.parse_args(argv)
    root = project_root()
    if args.command == "check":
        return check(root, args.lang)
    return build(root, args.site_dir)


if __name__ == "__main__":
    sys.exit(main())
