"""Koho's HTML partials (theme/partials/koho/*.html), rendered from records.

The build renders them through MkDocs' own template loader, so a site's
`overrides/partials/koho/<name>.html` wins over Koho's, as for any Material
partial; koho's commands load the same folders themselves. Unlike MkDocs'
environment, this one escapes every value, exactly as `html.escape` does.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .notice_pages import format_date

THEME_DIR = Path(__file__).with_name("theme")
PARTIALS = "partials/koho"


def relative_url(url: str, page_url: str) -> str:
    """A site-relative URL (en/notices/) as a link from the page at `page_url`
    (en/notices/2026/x/); the same results as MkDocs' get_relative_url."""
    folder, _, last = page_url.rpartition("/")
    start = folder if "." in last else page_url
    relative = posixpath.relpath("/" + url, "/" + start)
    return relative + "/" if url.endswith("/") else relative


def _escape_as_html_escape(value: Any) -> Markup:
    """Escape as html.escape does (&quot; and &#x27;); markupsafe would write &#34; and &#39;."""
    if hasattr(value, "__html__"):
        return Markup(value)
    return Markup(escape(str(value)))


class Templates:
    """Koho's partials, found by `loader`: `render("notice-list.html", ...)`."""

    def __init__(self, loader: jinja2.BaseLoader) -> None:
        self._env = jinja2.Environment(loader=loader, autoescape=True, auto_reload=False,
                                       finalize=_escape_as_html_escape, undefined=jinja2.StrictUndefined)
        self._env.filters.update(koho_date=format_date, relative_url=relative_url)

    @classmethod
    def from_folders(cls, folders: Iterable[Path]) -> Templates:
        """The partials of the first folder that has each one; folders that do not exist are skipped."""
        return cls(jinja2.FileSystemLoader([str(folder) for folder in folders if folder.is_dir()]))

    def render(self, name: str, **context: Any) -> str:
        """Render partials/koho/<name> (or a template path containing a slash) with `context`."""
        path = name if "/" in name else f"{PARTIALS}/{name}"
        return self._env.get_template(path).render(**context)


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for one environment's settings, for every
    language's build of a site: MkDocs makes a new environment for each language, which
    compiled Material's templates again each time (a fifth of a build's work). Jinja checks
    each template's source against what was compiled, so a changed template is compiled again.
    Share one between environments only if they are made with the same settings."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
