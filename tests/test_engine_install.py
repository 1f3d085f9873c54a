"""Koho as an installed MkDocs plugin: a folder with only docs/ and mkdocs.yml builds
with plain `mkdocs build --strict`, and everything else comes from the koho package."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from conftest import BUILD_TIME, ROOT, TOWN, TOWN_LOCALES, copy_town, epoch
from koho.search_bundle import BUNDLE_DIR, bundle_pages

FEED_FILES = ["feed.rss.xml", "feed.atom.xml", "feed.json"]
PACKAGE_ASSETS = ["assets/stylesheets/koho.css", "assets/javascripts/koho.js"]


def installed_theme_dir() -> Path:
    """The theme folder of the koho plugin that MkDocs finds through the entry point."""
    (entry,) = entry_points(group="mkdocs.plugins", name="koho")
    return Path(inspect.getfile(entry.load())).with_name("theme")


def town_pages(locale: str) -> list[str]:
    """Every page of the town in a language, as a folder below the site ("" for home).

    A language shows its own pages and the default language's pages it has not translated."""
    pages = set()
    for folder in {"ja", locale}:
        for path in (TOWN / "docs" / folder).rglob("*.md"):
            relative = path.relative_to(TOWN / "docs" / folder).with_suffix("").as_posix()
            pages.add(relative.removesuffix("index").rstrip("/"))
    return sorted(pages)


def categories() -> list[str]:
    return sorted(path.stem for path in (TOWN / "docs" / "ja" / "notices" / "categories").glob("*.md"))


@pytest.fixture(scope="module")
def plain_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The town in an empty folder, built by `mkdocs build --strict` with the installed package."""
    folder = copy_town(tmp_path_factory.mktemp("install") / "town")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": epoch(BUILD_TIME)}
    # -I: the folder is not on sys.path, PYTHONPATH is ignored; koho comes from the installation.
    result = subprocess.run([sys.executable, "-I", "-m", "mkdocs", "build", "--strict"],
                            cwd=folder, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-4000:]
    return folder


def test_the_site_folder_holds_only_docs_and_mkdocs_yml(plain_build):
    sources = sorted(path.name for path in plain_build.iterdir() if path.name != "site")
    assert sources == ["docs", "mkdocs.yml"]
    config = (plain_build / "mkdocs.yml").read_text("utf-8")
    assert "custom_dir" not in config and "\nhooks:" not in config and "strings_dir" not in config


@pytest.mark.parametrize("locale", TOWN_LOCALES)
def test_every_page_of_each_language_is_built(plain_build, locale):
    prefix = "" if locale == "ja" else f"{locale}/"
    site = plain_build / "site" / prefix
    missing = [page for page in town_pages(locale) if not (site / page / "index.html").exists()]
    assert missing == []
    assert (site / "404.html").exists()


@pytest.mark.parametrize("locale", TOWN_LOCALES)
def test_feeds_of_the_language_and_of_each_category_exist(plain_build, locale):
    folder = plain_build / "site" / ("" if locale == "ja" else f"{locale}/")
    expected = [name.replace("feed", stem, 1) for stem in
                ["feed", *(f"feed-{slug}" for slug in categories())] for name in FEED_FILES]
    assert [name for name in expected if not (folder / name).is_file()] == []


@pytest.mark.parametrize("locale", TOWN_LOCALES)
def test_each_language_has_its_own_search_index(plain_build, locale):
    folder = plain_build / "site" / ("" if locale == "ja" else f"{locale}/")
    locations = {page["url"].removeprefix("/") for page in bundle_pages(folder / BUNDLE_DIR)}
    assert "" in locations and "glossary/" in locations
    assert not any(location.startswith("en/") for location in locations)
    assert json.loads((folder / "search" / "search_index.json").read_text("utf-8"))["docs"] == []


def test_theme_files_come_from_the_installed_package(plain_build):
    theme = installed_theme_dir()
    assert theme.is_dir() and not theme.is_relative_to(plain_build)
    for asset in PACKAGE_ASSETS:
        assert (plain_build / "site" / asset).read_bytes() == (theme / asset).read_bytes(), asset
    home = (plain_build / "site" / "index.html").read_text("utf-8")
    assert "koho-page-tools" in home  # the package's main.html


def test_nothing_comes_from_the_koho_repository_site_folders(plain_build):
    built = list((plain_build / "site").rglob("*"))
    for page in (p for p in built if p.suffix == ".html"):
        assert "brand.css" not in page.read_text("utf-8"), page
    akiruno_files = {path.read_bytes() for path in (ROOT / "overrides").rglob("*") if path.is_file()}
    assert not [p for p in built if p.is_file() and p.read_bytes() in akiruno_files]
    assert not (plain_build / "overrides").exists() and not (plain_build / "hooks").exists()


def test_the_koho_command_is_installed_and_checks_the_folder(plain_build):
    koho = Path(sys.executable).with_name("koho")
    result = subprocess.run([str(koho), "check", "--lang", "en"], cwd=plain_build,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "No problems found." in result.stdout


@pytest.mark.parametrize("locale", TOWN_LOCALES)
def test_comment_lines_in_a_fenced_shell_block_build_as_code_not_headings(plain_build, locale):
    """The town's about page has a shell block whose lines start with '#'; it builds with
    --strict (no second-H1 error) and the lines stay code."""
    prefix = "" if locale == "ja" else f"{locale}/"
    source = (TOWN / "docs" / locale / "about.md").read_text("utf-8")
    assert "```sh\n# " in source
    page = (plain_build / "site" / prefix / "about" / "index.html").read_text("utf-8")
    assert page.count("<h1") == 1
    code = page.split('<div class="highlight"><pre>', 1)[1].split("</code>", 1)[0]
    assert "curl" in code and code.count('<span class="c1"># ') == 2
