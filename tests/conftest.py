"""Shared fixtures: real builds served on 127.0.0.1, and a real headless Chromium
(Debian's /usr/bin/chromium, driven by Playwright).

Two sites are built once per session: `town`, the small invented town in
tests/fixtures/town that the engine tests use, and `site`, Akiruno City's own
site, for the tests of its content. Tests that break something get a fresh copy
of the town's sources (`town_copy`)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOWN = ROOT / "tests" / "fixtures" / "town"
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
# Akiruno's languages, and the town's.
LOCALES = ["ja", "en", "zh", "ko", "ja-easy"]
LANG_TAGS = {"ja": "ja", "en": "en", "zh": "zh-Hans", "ko": "ko", "ja-easy": "ja"}
TOWN_LOCALES = ["ja", "en"]


@dataclass(frozen=True)
class BuiltSite:
    path: Path  # the built site
    url: str  # where it is served, with a trailing slash
    source: Path = ROOT  # the folder of its mkdocs.yml

    def prefix(self, locale: str) -> str:
        return "" if locale == "ja" else f"{locale}/"

    def page(self, relative: str) -> Path:
        return self.path / relative / "index.html" if not relative.endswith(".html") else (
            self.path / relative
        )

    def html(self, relative: str) -> str:
        return self.page(relative).read_text("utf-8")


def visible_text(html: str) -> str:
    """The text of built HTML without tags and without furigana readings (<rt>)."""
    return re.sub(r"<[^>]+>", "", re.sub(r"<rt[^>]*>.*?</rt>", "", html, flags=re.S))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The tests' "now": Akiruno's sample emergency (2026-11-28 06:00 to 2026-12-31) and the
# town's (2026-11-27 07:00 to 2099-12-31) are active; the town's autumn festival has ended.
BUILD_TIME = "2026-11-28T12:00:00+09:00"
LOCAL_URL = "http://127.0.0.1:8000/"


def epoch(moment: str) -> str:
    return str(int(datetime.fromisoformat(moment).timestamp()))


def build_site(project: Path, site_dir: Path, site_url: str = LOCAL_URL,
               now: str = BUILD_TIME) -> subprocess.CompletedProcess:
    """`koho build` of the site in `project`, as an editor runs it."""
    env = {**os.environ, "KOHO_SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1",
           "SOURCE_DATE_EPOCH": epoch(now)}
    return subprocess.run(
        [sys.executable, "-m", "koho.cli", "build", "--site-dir", str(site_dir)],
        cwd=project, env=env, capture_output=True, text=True,
    )


def copy_town(target: Path) -> Path:
    """The town's sources (docs/ and mkdocs.yml, nothing else) in a new folder."""
    target.mkdir(parents=True)
    shutil.copytree(TOWN / "docs", target / "docs")
    shutil.copy(TOWN / "mkdocs.yml", target / "mkdocs.yml")
    return target


def add_last_site(project: Path, built: BuiltSite) -> Path:
    """Give a copy of a site's sources a last good build (a copy of `built`) in site/."""
    site_dir = project / "site"
    shutil.copytree(built.path, site_dir)
    return site_dir


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(site_dir: Path, port: int) -> Iterator[None]:
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(QuietHandler, directory=site_dir))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def built_and_served(project: Path, site_dir: Path) -> Iterator[BuiltSite]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    result = build_site(project, site_dir, url)
    assert result.returncode == 0, result.stderr[-4000:]
    with served(site_dir, port):
        yield BuiltSite(site_dir, url, project)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the group marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With `pytest -n 2 --dist loadgroup`, every test of Akiruno's built site runs in one
    worker, so that its five-language build is made once, not once in each worker.
    A test that picks its site by parameter (request.getfixturevalue) counts too."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        picked = callspec.params.values() if callspec else ()
        if "site" in getattr(item, "fixturenames", ()) or "site" in picked:
            item.add_marker(pytest.mark.xdist_group("akiruno"))


# `make test` sets KOHO_TEST_SITE to a folder: the tests build Akiruno's site there (with
# the address it was built for in a file beside it) and `make a11y` then checks that build
# instead of building the same site again (tests/a11y_audit.py).
SHARED_SITE = os.environ.get("KOHO_TEST_SITE")


@dataclass(frozen=True)
class SharedBuild:
    """Akiruno's site as the tests built it, for the audit: the site and its address."""

    folder: Path

    @property
    def site(self) -> Path:
        return self.folder / "site"

    @property
    def url_file(self) -> Path:
        return self.folder / "url"

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self) -> str | None:
        """The address it was built for, or None if no complete build is there."""
        return self.url_file.read_text("utf-8") if self.url_file.exists() else None


def pytest_sessionstart(session: pytest.Session) -> None:
    """A build left by an earlier run is removed before any test starts (in the main
    process, before xdist starts its workers), so the audit never checks a stale one."""
    if SHARED_SITE and not os.environ.get("PYTEST_XDIST_WORKER"):
        SharedBuild(Path(SHARED_SITE)).clear()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """Akiruno City's site, built once and served."""
    if not SHARED_SITE:
        yield from built_and_served(ROOT, tmp_path_factory.mktemp("akiruno") / "site")
        return
    shared = SharedBuild(Path(SHARED_SITE))
    shared.folder.mkdir(parents=True, exist_ok=True)
    built = built_and_served(ROOT, shared.site)
    served = next(built)
    shared.url_file.write_text(served.url, "utf-8")  # last: the build is complete
    yield served
    built.close()


@pytest.fixture(scope="session")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The invented town, built once from a copy of its sources and served. Do not change it."""
    folder = tmp_path_factory.mktemp("town")
    yield from built_and_served(copy_town(folder / "project"), folder / "site")


@pytest.fixture
def town_copy(tmp_path: Path) -> Path:
    """A fresh copy of the town's sources, for tests that break or change a page."""
    return copy_town(tmp_path / "town")


@dataclass(frozen=True)
class CommandResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def koho(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
         ) -> Callable[..., CommandResult]:
    """Runs `koho <args>` in-process in a site folder: koho(folder, "check", "--lang", "en")."""
    from koho.cli import main

    def run(folder: Path, *args: str, env: dict[str, str] | None = None) -> CommandResult:
        monkeypatch.chdir(folder)
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as stop:  # as the interpreter reports it
            if isinstance(stop.code, str):
                print(stop.code, file=sys.stderr)
            code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
        output = capsys.readouterr()
        return CommandResult(code, output.out, output.err)

    return run


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


PHONE = {"viewport": {"width": 375, "height": 667}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()
