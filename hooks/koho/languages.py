"""Languages of the site and the user-facing strings of each.

The i18n plugin (mkdocs-static-i18n) builds the site once per language on the
same config; this module turns its settings into plain records and tells
which language is being built.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

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


def i18n_plugin(config: Any) -> Any:
    return config["plugins"]["i18n"]


def site_languages(config: Any) -> list[Language]:
    tags: dict[str, str] = config["extra"].get("language_tags", {})
    return [
        Language(lang.locale, tags.get(lang.locale, lang.locale), lang.name, lang.default)
        for lang in i18n_plugin(config).config.languages
        if lang.build
    ]


def default_language(config: Any) -> Language:
    return next(lang for lang in site_languages(config) if lang.default)


def current_language(config: Any) -> Language:
    locale = i18n_plugin(config).current_language
    return next(lang for lang in site_languages(config) if lang.locale == locale)


def is_outermost_build(config: Any) -> bool:
    """True once every language is built (the i18n plugin's last step is done)."""
    return not i18n_plugin(config).building


def language_of_url(url: str, languages: list[Language]) -> Language:
    """The language whose folder holds a site-relative URL such as 'en/glossary/'."""
    for lang in languages:
        if not lang.default and (url == lang.locale or url.startswith(lang.url_prefix)):
            return lang
    return next(lang for lang in languages if lang.default)


@cache
def ui_strings(locale: str) -> dict[str, str]:
    """User-facing strings of one language, falling back to Japanese key by key."""
    strings = _load_strings("ja")
    if locale != "ja":
        strings = {**strings, **_load_strings(locale)}
    return strings


def _load_strings(locale: str) -> dict[str, str]:
    path = TRANSLATIONS_DIR / f"{locale}.yml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(key): str(value) for key, value in data.items()}
