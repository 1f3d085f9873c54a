"""Languages of the site and the user-facing strings of each.

The adapter (plugin.py) turns the i18n plugin's languages into these plain
records; `Strings` reads the interface strings of each.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

TRANSLATIONS_DIR = Path(__file__).with_name("translations")


@dataclass(frozen=True)
class Language:
    locale: str  # folder under docs/ and URL segment, e.g. "zh"
    tag: str  # BCP 47 tag for lang attributes, e.g. "zh-Hans"
    name: str  # the language's name in itself
    default: bool

    @property
    def url_prefix(self) -> str:
        """Path of the language's home relative to the site root ("" or "en/")."""
        return "" if self.default else f"{self.locale}/"


def language_of_url(url: str, languages: list[Language]) -> Language:
    """The language whose folder holds a site-relative URL such as 'en/glossary/'."""
    for lang in languages:
        if not lang.default and (url == lang.locale or url.startswith(lang.url_prefix)):
            return lang
    return next(lang for lang in languages if lang.default)


class Strings:
    """User-facing strings by language: Koho's own files, with the site's own
    folder (if any) layered over them key by key; missing keys fall back to the
    default language. Each language is read once, when first asked for."""

    def __init__(self, package_dir: Path, site_dir: Path | None, default_locale: str) -> None:
        self._folders = [package_dir] + ([site_dir] if site_dir else [])
        self._default = default_locale
        self._loaded: dict[str, dict[str, str]] = {}

    def __call__(self, locale: str) -> dict[str, str]:
        if locale not in self._loaded:
            layers = [self._default] if locale == self._default else [self._default, locale]
            strings: dict[str, str] = {}
            for layer in layers:
                for folder in self._folders:
                    strings.update(_load_strings(folder / f"{layer}.yml"))
            self._loaded[locale] = strings
        return self._loaded[locale]


def _load_strings(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(key): str(value) for key, value in data.items()}
