"""Content that must not run on the site's domain, and sanitising what leaves it.

Checks (part of `koho check` and the build, one problem per finding, with its
line): an element that runs or embeds other content (`<script>`, `<iframe>`,
`<object>`, `<embed>` and the like), an event-handler attribute (`onclick=`,
`onerror=`, ...), and a link or source whose address would run script
(`javascript:`, `vbscript:`, `data:text/html`), whether written as raw HTML, as
a Markdown link or image, or as an `{attr_list}`. Raw HTML is read with
Python's HTML parser, so entities and odd spacing are decoded as a browser
decodes them; Markdown links come from the one Python-Markdown pass
(markdown_analysis.py). Front matter text is plain text: markup in it is refused.

What reaches feeds and mail is sanitised by nh3 (the Ammonia sanitiser), with
an allow-list of tags, attributes and URL schemes: never with regular expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import nh3

from .validation import Problem

if TYPE_CHECKING:
    from .content import SourcePage
    from .markdown_analysis import PageAnalysis

UNSAFE_TAGS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
                         "meta", "link", "portal", "noscript"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "background", "cite",
                            "codebase", "longdesc", "lowsrc", "dynsrc", "ping", "manifest", "srcset",
                            "xlink:href", "to", "from", "values"})
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "livescript", "mocha"})
# Whitespace and C0 controls that a browser drops from a URL before reading its scheme.
_URL_IGNORED = "".join(chr(code) for code in range(0x21))


@dataclass(frozen=True)
class Finding:
    """One unsafe thing in a piece of HTML: a problem code and what to show."""
    code: str  # unsafe_tag, unsafe_attribute or unsafe_url
    found: str
    source: str  # the start tag as written, to find its line


def unsafe_url(url: str) -> bool:
    """Whether a browser would run this address as script (javascript:, data:text/html, ...)."""
    squeezed = "".join(ch for ch in url if ch not in _URL_IGNORED).lower()
    scheme, colon, rest = squeezed.partition(":")
    if not colon or "/" in scheme or "?" in scheme or "#" in scheme:
        return False
    return scheme in UNSAFE_SCHEMES or (scheme == "data" and not rest.startswith("image/")) \
        or scheme.endswith("script")


def element_findings(tag: str, attributes: list[tuple[str, str | None]], source: str) -> list[Finding]:
    findings = []
    if tag.lower() in UNSAFE_TAGS:
        findings.append(Finding("unsafe_tag", f"<{tag.lower()}>", source))
    for name, value in attributes:
        name = name.lower()
        if name.startswith("on"):
            findings.append(Finding("unsafe_attribute", f"{name}=", source))
        elif name == "srcdoc":
            findings.append(Finding("unsafe_attribute", name, source))
        elif value and (name in URL_ATTRIBUTES or name.endswith(":href")) and _any_unsafe(name, value):
            findings.append(Finding("unsafe_url", value.strip()[:60], source))
    return findings


def _any_unsafe(name: str, value: str) -> bool:
    if name == "srcset":
        return any(unsafe_url(candidate.strip().split(" ")[0]) for candidate in value.split(","))
    return unsafe_url(value)


def html_findings(raw: str) -> list[Finding]:
    """Unsafe elements, attributes and addresses in a piece of raw HTML."""
    parser = _FindingParser()
    parser.feed(raw)
    parser.close()
    return parser.findings


class _FindingParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.findings.extend(element_findings(tag, attrs, self.get_starttag_text() or f"<{tag}"))

    handle_startendtag = handle_starttag


def markup_in_text(text: str) -> str | None:
    """The first tag, comment or declaration in a front matter text, if any."""
    parser = _MarkupParser()
    parser.feed(text)
    parser.close()
    return parser.found


class _MarkupParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: str | None = None

    def _found(self, markup: str) -> None:
        self.found = self.found or markup

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._found(self.get_starttag_text() or f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._found(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        self._found(f"</{tag}>")

    def handle_comment(self, data: str) -> None:
        self._found("<!--")

    def handle_decl(self, decl: str) -> None:
        self._found(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._found(f"<?{data}>")


def check(page: SourcePage, analysis: PageAnalysis) -> list[Problem]:
    """A problem, with its line in the file, for each unsafe thing in a page's body."""
    return [Problem(page.shown, page.body_line + item.line - 1, "content", item.code, item.found)
            for item in analysis.unsafe]


# -- sanitising feeds and mail ------------------------------------------------------------------

_GLOBAL_ATTRIBUTES = {"id", "class", "lang", "dir", "title"}
_ATTRIBUTES = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "type"},
    "time": {"datetime"},
    "abbr": set(),
    "details": {"open"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(html: str) -> str:
    """HTML that may go into a feed or a mail: nh3's allow-list of tags, these attributes,
    http(s), mailto and tel addresses only; scripts and styles dropped with their content."""
    return nh3.clean(html, attributes=_ATTRIBUTES, url_schemes=_SCHEMES, link_rel=None,
                     clean_content_tags={"script", "style"})
