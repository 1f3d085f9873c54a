"""Shared fixtures: one real build of the site, served on 127.0.0.1, and a real
headless Chromium (Debian's /usr/bin/chromium, driven by Playwright)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("KOHO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCALES = ["ja", "en", "zh", "ko", "ja-easy"]
LANG_TAGS = {"ja": "ja", "en": "en", "zh": "zh-Hans", "ko": "ko", "ja-easy": "ja"}


@dataclass(frozen=True)
class BuiltSite:
    path: Path
    url: str  # with a trailing slash

    def prefix(self, locale: str) -> str:
        return "" if locale == "ja" else f"{locale}/"

    def page(self, relative: str) -> Path:
        return self.path / relative / "index.html" if not relative.endswith(".html") else (
            self.path / relative
        )


def visible_text(html: str) -> str:
    """The text of built HTML without tags and without furigana readings (<rt>)."""
    return re.sub(r"<[^>]+>", "", re.sub(r"<rt[^>]*>.*?</rt>", "", html, flags=re.S))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The tests' "now": the sample emergency (2026-11-28 06:00 to 2026-12-31) is active.
BUILD_TIME = "2026-11-28T12:00:00+09:00"


def epoch(moment: str) -> str:
    return str(int(datetime.fromisoformat(moment).timestamp()))


def build_site(project: Path, site_dir: Path, site_url: str,
               now: str = BUILD_TIME) -> subprocess.CompletedProcess:
    env = {**os.environ, "KOHO_SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1",
           "SOURCE_DATE_EPOCH": epoch(now)}
    return subprocess.run(
        [sys.executable, "-m", "koho.cli", "build", "--site-dir", str(site_dir)],
        cwd=project, env=env, capture_output=True, text=True,
    )


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    site_dir = tmp_path_factory.mktemp("build") / "site"
    result = build_site(ROOT, site_dir, url)
    assert result.returncode == 0, result.stderr[-4000:]
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(QuietHandler, directory=site_dir))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield BuiltSite(site_dir, url)
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: run 'make test' or apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 667}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's sources, for tests that break a page on purpose."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("docs", "overrides", "strings"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    return copy
