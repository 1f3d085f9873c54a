"""Compare the sites that two versions of Koho build, to show a refactor changes nothing.

    .venv/bin/python bench/site_diff.py OLD NEW [--epoch N] [--keep DIR]
    .venv/bin/python bench/site_diff.py HEAD WORKTREE
    .venv/bin/python bench/site_diff.py HEAD~1 HEAD --context 2 --max-lines 40

OLD and NEW are commit-ishes of this repository, or WORKTREE for the working tree
(every tracked or untracked, not ignored, file). Each is exported to the same
temporary folder in turn and built there with `python -m koho.cli build`, with a
fixed SOURCE_DATE_EPOCH and KOHO_SITE_URL and with PYTHONPATH=<export>/hooks, so
`import koho` loads that version's package and not the editable install. A small
koho.dist-info made from the export's pyproject.toml goes on PYTHONPATH too, so the
`mkdocs.plugins` entry points MkDocs sees are that version's, whatever is installed.

Prints the files only in OLD, only in NEW and changed, a unified diff of each
changed text file (one diff for files that got the same change: JSON pretty-printed,
.gz unpacked), and "N files identical, M changed, A added, R removed".
Exits 0 after a comparison, whatever it found; 2 if an export or a build fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from koho.site_compare import Comparison, compare, files

ROOT = Path(__file__).resolve().parents[1]
WORKTREE = "WORKTREE"
DEFAULT_NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
SITE_URL = "https://akiruno.koho.example/"
TEXT_SUFFIXES = {".html", ".xml", ".json", ".txt", ".css", ".js", ".svg", ".webmanifest"}
RELATIVE = re.compile(r"(?<=[\"'(])(?:\.\./|/(?!/))+")  # ../../ or / at the start of a URL
LONG_LINE = 200  # characters of a diff line shown; search_index.json has very long lines

SANITY = """
import importlib, importlib.metadata as metadata
import koho
print(f"koho package: {koho.__file__}")
points = [p for p in metadata.entry_points(group="mkdocs.plugins") if p.name == "koho"]
for point in points:
    module = importlib.import_module(point.module)
    print(f"mkdocs plugin koho = {point.value}: {module.__file__}")
if not points:
    print("mkdocs plugin koho: no entry point (hooks-only version)")
"""


class Failed(Exception):
    """An export or a build failed; the message says which and why."""


@dataclass
class Side:
    label: str  # OLD or NEW
    rev: str  # as given
    commit: str  # resolved hash, or WORKTREE
    site: Path = Path()
    seconds: float = 0.0
    sanity: list[str] = field(default_factory=list)


# --- exporting a version --------------------------------------------------------------


def git(*args: str) -> bytes:
    result = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True)
    if result.returncode != 0:
        raise Failed(f"git {' '.join(args)}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def resolve(rev: str) -> str:
    if rev == WORKTREE:
        return WORKTREE
    try:
        return git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except Failed:
        raise Failed(f"{rev!r} is not a commit of {ROOT} (nor {WORKTREE})") from None


def export(commit: str, dest: Path) -> None:
    dest.mkdir(parents=True)
    if commit == WORKTREE:
        copy_worktree(dest)
        return
    archive = dest.parent / "export.tar"
    archive.write_bytes(git("archive", "--format=tar", commit))
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    archive.unlink()


def copy_worktree(dest: Path) -> None:
    """Tracked and untracked files that .gitignore does not exclude, as they are on disk now:
    what `git add -A && git archive` would give, so both sides see the same kind of tree."""
    names = git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split(b"\0")
    for name in sorted({n.decode() for n in names if n}):
        source = ROOT / name
        if source.is_file():  # a file deleted but not yet staged is listed and absent
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)


def write_metadata(tree: Path, meta: Path) -> None:
    """A koho.dist-info with the export's entry points, found before the installed one."""
    project = tomllib.loads((tree / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    info = meta / f"koho-{project['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: koho\nVersion: {project['version']}\n", encoding="utf-8")
    groups = {"console_scripts": project.get("scripts", {}), **project.get("entry-points", {})}
    lines = [f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in points.items())
             for group, points in groups.items() if points]
    (info / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")


# --- building it ----------------------------------------------------------------------


def python() -> str:
    """This venv's Python; the repository's .venv when run with a Python outside any venv."""
    venv = ROOT / ".venv" / "bin" / "python"
    return sys.executable if sys.prefix != sys.base_prefix or not venv.exists() else str(venv)


def build_env(tree: Path, meta: Path, epoch: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KOHO_") and k not in ("PYTHONPATH", "PYTHONHOME")}
    return {**env, "PYTHONPATH": os.pathsep.join([str(tree / "hooks"), str(meta)]),
            "SOURCE_DATE_EPOCH": str(epoch), "KOHO_SITE_URL": SITE_URL,
            "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def check_imports(tree: Path, env: dict[str, str]) -> list[str]:
    """Which koho and which koho plugin module the build will load; fail unless the export's."""
    result = subprocess.run([python(), "-c", SANITY], cwd=tree, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise Failed(f"importing koho failed:\n{tail(result.stderr)}")
    lines = result.stdout.splitlines()
    strays = [line for line in lines if ": /" in line and str(tree) not in line]
    if strays:
        raise Failed("koho is not loaded from the export:\n" + "\n".join(strays))
    return lines


def build(tree: Path, site: Path, env: dict[str, str]) -> float:
    command = [python(), "-m", "koho.cli", "build", "--site-dir", str(site)]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0 or not site.is_dir():
        raise Failed(f"build failed (exit {result.returncode}) after {seconds:.1f} s:\n"
                     f"{tail(result.stderr or result.stdout)}")
    return seconds


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def make_site(side: Side, work: Path, epoch: int) -> None:
    """Export and build one side in work/tree, the same path for both, so that no output
    differs only by where it was built; then move the site and tree to side-named folders."""
    tree, meta, site = work / "tree", work / f"meta-{side.label}", work / "site"
    export(side.commit, tree)
    write_metadata(tree, meta)
    env = build_env(tree, meta, epoch)
    side.sanity = check_imports(tree, env)
    side.seconds = build(tree, site, env)
    side.site = site.rename(work / f"site-{side.label}")
    tree.rename(work / f"tree-{side.label}")


# --- comparing the sites (koho.site_compare finds the files that differ) ---------------


def readable(path: Path) -> list[str] | None:
    """The lines to diff: JSON pretty-printed, .gz unpacked; None for other binary files."""
    data = path.read_bytes()
    suffixes = path.suffixes
    if suffixes[-1:] == [".gz"]:
        data, suffixes = gzip.decompress(data), suffixes[:-1]
    if not suffixes or suffixes[-1] not in TEXT_SUFFIXES:
        return None
    text = data.decode("utf-8", errors="replace")
    if suffixes[-1] == ".json":
        try:
            text = json.dumps(json.loads(text), indent=1, ensure_ascii=False)
        except ValueError:
            pass
    return text.splitlines()


def clip(line: str) -> str:
    line = line.rstrip("\n")
    return line if len(line) <= LONG_LINE else line[:LONG_LINE] + f"… (+{len(line) - LONG_LINE} chars)"


def diff_lines(name: str, old: Path, new: Path, context: int) -> list[str]:
    before, after = readable(old / name), readable(new / name)
    if before is None or after is None:
        return [f"(binary: {old.joinpath(name).stat().st_size} -> {new.joinpath(name).stat().st_size} bytes)"]
    diff = list(difflib.unified_diff(before, after, f"OLD/{name}", f"NEW/{name}", n=context, lineterm=""))
    return diff or ["(no difference once decoded: only JSON formatting or a gzip header differs)"]


def signature(diff: list[str]) -> tuple[str, ...]:
    """The added and removed lines, with the starts of URLs (../../, /) made alike: pages whose
    diffs share a signature got the same change, so it is shown once."""
    return tuple(RELATIVE.sub("", line) for line in diff
                 if line[:1] in "+-" and line[:3] not in ("+++", "---"))


def grouped_diffs(names: list[str], old: Path, new: Path, context: int) -> list[tuple[list[str], list[str]]]:
    """(diff of the first file, every file with that change), in file order."""
    groups: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}
    for name in names:
        diff = diff_lines(name, old, new, context)
        groups.setdefault(signature(diff) or (name,), (diff, []))[1].append(name)
    return list(groups.values())


def show_diff(diff: list[str], names: list[str], max_lines: int) -> None:
    print(f"\n--- {names[0]}" + (f" (and {len(names) - 1} more files with the same change)"
                                  if len(names) > 1 else ""))
    for line in diff[:max_lines]:
        print(f"  {clip(line)}")
    if len(diff) > max_lines:
        print(f"  … {len(diff) - max_lines} more diff lines")


def report(result: Comparison, old: Path, new: Path, args: argparse.Namespace) -> None:
    for title, names in (("Only in OLD", result.removed), ("Only in NEW", result.added),
                         ("Changed", result.changed)):
        if names:
            print(f"\n{title} ({len(names)}):")
            print("\n".join(f"  {name}" for name in names))
    groups = grouped_diffs(result.changed, old, new, args.context)
    for diff, names in groups[:args.max_files]:
        show_diff(diff, names, args.max_lines)
    if len(groups) > args.max_files:
        print(f"\n(diffs of {len(groups) - args.max_files} more distinct changes not shown;"
              " raise --max-files)")
    print(f"\n{len(result.identical)} files identical, {len(result.changed)} changed, "
          f"{len(result.added)} added, {len(result.removed)} removed")


# --- command line ---------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", metavar="OLD", help=f"commit-ish, or {WORKTREE}")
    parser.add_argument("new", metavar="NEW", help=f"commit-ish, or {WORKTREE}")
    parser.add_argument("--epoch", type=int, default=int(DEFAULT_NOW.timestamp()),
                        help="SOURCE_DATE_EPOCH of both builds (default: 2026-11-28T12:00:00+09:00)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="copy both sites (and their source trees) to DIR/old, DIR/new, ...")
    parser.add_argument("--context", type=int, default=3, help="context lines of each diff (3)")
    parser.add_argument("--max-lines", type=int, default=30, help="diff lines shown per file (30)")
    parser.add_argument("--max-files", type=int, default=50, help="distinct changes whose diff is shown (50)")
    return parser.parse_args(argv)


def keep(sides: list[Side], work: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for side in sides:
        name, tree = side.label.lower(), work / f"tree-{side.label}"
        for source, dest in ((side.site, target / name), (tree, target / f"{name}-tree")):
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(source, dest, symlinks=True)
    print(f"\nkept: {target}/old, {target}/new (sites), {target}/old-tree, {target}/new-tree (sources)")


def run(args: argparse.Namespace) -> int:
    sides = [Side("OLD", args.old, resolve(args.old)), Side("NEW", args.new, resolve(args.new))]
    when = dt.datetime.fromtimestamp(args.epoch, DEFAULT_NOW.tzinfo).isoformat()
    print(f"python {python()}\nSOURCE_DATE_EPOCH={args.epoch} ({when}), KOHO_SITE_URL={SITE_URL}")
    with tempfile.TemporaryDirectory(prefix="koho-site-diff-") as scratch:
        work = Path(scratch)
        for side in sides:
            print(f"\n{side.label}: {side.rev} ({side.commit[:12]})", flush=True)
            make_site(side, work, args.epoch)
            print("\n".join(f"  {line}" for line in side.sanity))
            print(f"  built {len(files(side.site))} files in {side.seconds:.1f} s", flush=True)
        report(compare(sides[0].site, sides[1].site), sides[0].site, sides[1].site, args)
        if args.keep:
            keep(sides, work, args.keep.resolve())
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return run(parse_args(argv))
    except Failed as failure:
        print(f"\nsite_diff: {failure}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
