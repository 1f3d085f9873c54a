"""Deployment: the Content-Security-Policy a built site satisfies, and the sample
server configurations (deploy/nginx.conf, deploy/_headers) kept true to it.

Scripts may come only from the site itself and from the inline scripts the build
wrote, each allowed by its SHA-256 hash (no 'unsafe-inline'). Material writes a few
small inline scripts (its local-storage helpers, whose text holds the page's path
back to the site root, so there is one per folder depth; the tabbed-content anchor
fix) and Koho one (the reader's furigana choice, applied before the page is drawn):
the hashes are read from the built pages, so they stay true when Material or a
template changes. `koho csp` prints the policy and rewrites it in the samples.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?(?P<type>[^"'\s>]*)""", re.I)
_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}  # others are data
_HANDLER = re.compile(r"<[a-z][^<>]*?\s(?P<name>on[a-z]+)\s*=", re.I)

# Everything from the site's own origin; images also as data: URLs (Material's icons
# in its stylesheet); inline styles are not needed (Material sets styles through the
# CSSOM, which CSP does not restrict); no plugins, no framing, no other <base>. Search
# (Pagefind) runs WebAssembly, which 'wasm-unsafe-eval' allows and nothing else: no eval().
_DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
# The policy as the samples write it: nginx's add_header and a _headers line.
_NGINX_LINE = re.compile(r'(add_header\s+Content-Security-Policy\s+")(?P<policy>[^"]*)(")')
_HEADERS_LINE = re.compile(r"^([ \t]+Content-Security-Policy:[ \t]*)(?P<policy>.*?)([ \t]*)$", re.M)


class DeployError(Exception):
    """The built site has script a policy cannot allow by hash (an event-handler attribute)."""


@dataclass(frozen=True)
class InlineScripts:
    hashes: dict[str, list[str]]  # 'sha256-…' -> the pages (relative paths) that have it
    pages: int  # HTML pages read


def script_hash(body: str) -> str:
    """The CSP source expression of an inline script (its text exactly as written)."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_scripts(site_dir: Path) -> InlineScripts:
    """The inline scripts of every HTML page of a built site, by hash; refuses the site
    if a page has an event-handler attribute, which no hash can allow."""
    hashes: dict[str, list[str]] = {}
    pages = sorted(site_dir.rglob("*.html"))
    for page in pages:
        name = page.relative_to(site_dir).as_posix()
        html = page.read_text("utf-8")
        handler = _HANDLER.search(_SCRIPT.sub("", html))
        if handler:
            raise DeployError(f"{name}: an {handler['name']}= attribute runs script that a "
                              f"Content-Security-Policy without 'unsafe-inline' blocks")
        for match in _SCRIPT.finditer(html):
            attrs = match["attrs"]
            kind = _TYPE.search(attrs)
            if re.search(r"\bsrc\s*=", attrs, re.I) or (kind and kind["type"].lower() not in _SCRIPT_TYPES):
                continue
            hashes.setdefault(script_hash(match["body"]), []).append(name)
    return InlineScripts(hashes, len(pages))


def content_security_policy(site_dir: Path) -> str:
    """The policy every page of the built site satisfies."""
    hashes = sorted(inline_scripts(site_dir).hashes)
    directives = [(name, f"{value} {' '.join(hashes)}".strip() if name == "script-src" else value)
                  for name, value in _DIRECTIVES]
    return "; ".join(f"{name} {value}" for name, value in directives)


def policy_in(text: str) -> str | None:
    """The Content-Security-Policy a sample configuration sends (nginx or _headers syntax)."""
    match = _NGINX_LINE.search(text) or _HEADERS_LINE.search(text)
    return match["policy"] if match else None


def with_policy(text: str, policy: str) -> str:
    """The configuration with its Content-Security-Policy replaced by `policy`."""
    for pattern in (_NGINX_LINE, _HEADERS_LINE):
        if pattern.search(text):
            return pattern.sub(lambda m: f"{m[1]}{policy}{m[3]}", text)
    raise DeployError("no Content-Security-Policy line (add_header Content-Security-Policy \"…\"; "
                      "or an indented 'Content-Security-Policy: …' of a _headers file) to update")
