"""Compare two built sites file by file: which files are only in one, which differ.

Used by the reproducibility test (two builds of one commit must be byte-identical)
and by bench/site_diff.py (what a change of Koho changes in the built site).
"""

from __future__ import annotations

import filecmp
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Comparison:
    identical: list[str]
    changed: list[str]
    added: list[str]  # only in the second site
    removed: list[str]  # only in the first site

    @property
    def same(self) -> bool:
        return not (self.changed or self.added or self.removed)

    def describe(self) -> str:
        """The differences in plain words, one file a line; empty when the sites are the same."""
        lines = [f"{title}: {name}" for title, names in
                 (("differs", self.changed), ("only in the second", self.added),
                  ("only in the first", self.removed)) for name in names]
        return "\n".join(lines)


def files(site: Path) -> set[str]:
    """Every file below `site`, as a POSIX path relative to it."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def compare(old: Path, new: Path) -> Comparison:
    """Byte by byte: every file of both sites is read (no shortcut on size or time)."""
    before, after = files(old), files(new)
    both = sorted(before & after)
    changed = [name for name in both if not filecmp.cmp(old / name, new / name, shallow=False)]
    unchanged = set(both) - set(changed)
    return Comparison(sorted(unchanged), changed, sorted(after - before), sorted(before - after))
