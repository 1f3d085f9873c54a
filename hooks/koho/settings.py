"""Koho's settings, read once per build from the `koho` plugin's options in mkdocs.yml.

The adapter (plugin.py) checks each option's type with MkDocs' config classes and
hands the options here as a plain mapping, with the site's languages; everything
else in Koho receives the frozen `Settings` record. A value that is the right
type but cannot be used (an unknown time zone, a category without a name in the
default language) raises `SettingsError` naming the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .languages import Language, Strings
from .markdown_analysis import MarkdownSetup
from .notices import Category

PLUGIN_KEY = "plugins.koho"


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the key."""


@dataclass(frozen=True)
class FeedSettings:
    authority: str  # a domain the city controls, for tag: URIs
    authority_date: str  # a date when it controlled it, e.g. "2026"
    items: int


@dataclass(frozen=True)
class MailConfig:
    """Mail settings as written in mkdocs.yml; mail.py applies KOHO_SMTP_* over them."""
    host: str
    port: int
    starttls: bool
    user: str | None
    sender: str
    unsubscribe: str | None
    state_file: str
    lists: Mapping[str, str]  # locale -> list address


@dataclass(frozen=True)
class Settings:
    root: Path  # the folder of mkdocs.yml
    site_url: str
    languages: tuple[Language, ...]
    timezone: ZoneInfo
    categories: tuple[Category, ...]
    life_events: Mapping[str, Mapping[str, str]]  # slug -> locale -> name
    feeds: FeedSettings
    mail: MailConfig
    furigana_on_by_default: frozenset[str]  # locales whose readings show until turned off
    interface_languages: Mapping[str, str]  # locale -> Material interface language
    accessibility_results: Path
    strings: Strings = field(repr=False)
    markdown: MarkdownSetup = field(repr=False)  # the site's Markdown extensions and their options

    @property
    def default_language(self) -> Language:
        return next(lang for lang in self.languages if lang.default)

    @property
    def locales(self) -> list[str]:
        return [lang.locale for lang in self.languages]

    def language(self, locale: str) -> Language:
        return next(lang for lang in self.languages if lang.locale == locale)

    def category(self, slug: str) -> Category:
        return next(c for c in self.categories if c.slug == slug)

    def choices(self) -> dict[str, dict[str, str]]:
        """Configured lists for front matter checks: slug -> name in the default language."""
        default = self.default_language.locale
        return {
            "categories": {c.slug: c.names.get(default, c.slug) for c in self.categories},
            "life_events": {slug: names.get(default, slug) for slug, names in self.life_events.items()},
        }

    def life_event_name(self, slug: str, locale: str) -> str:
        names = self.life_events[slug]
        return names.get(locale) or names[self.default_language.locale]


def read_settings(options: Mapping[str, Any], languages: list[Language], root: Path,
                  site_url: str, package_strings: Path, markdown: MarkdownSetup) -> Settings:
    """Settings from the plugin's checked options (nested mappings of plain values)."""
    default = next((lang.locale for lang in languages if lang.default), None)
    if default is None:
        raise SettingsError("plugins.i18n.languages: no language has default: true")
    feeds, mail = options["feeds"], options["mail"]
    strings_dir = options.get("strings_dir")
    return Settings(
        root=root, site_url=site_url, languages=tuple(languages),
        timezone=_timezone(options["timezone"]),
        categories=tuple(Category(slug, dict(names), default) for slug, names
                         in _named("categories", options["categories"], default).items()),
        life_events=_named("life_events", options["life_events"], default),
        feeds=FeedSettings(str(feeds["authority"]), str(feeds["authority_date"]), int(feeds["items"])),
        mail=MailConfig(
            host=mail["host"], port=int(mail["port"]), starttls=bool(mail["starttls"]),
            user=mail.get("user"), sender=mail["from"], unsubscribe=mail.get("unsubscribe"),
            state_file=mail["state_file"], lists=dict(mail["lists"]),
        ),
        furigana_on_by_default=frozenset(_known_locales(
            "furigana.on_by_default", options["furigana"]["on_by_default"], languages)),
        interface_languages=dict(options["interface_languages"]),
        accessibility_results=root / options["accessibility_results"],
        strings=Strings(package_strings, root / strings_dir if strings_dir else None, default),
        markdown=markdown,
    )


def _timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise SettingsError(f"{PLUGIN_KEY}.timezone: unknown time zone '{name}'; "
                            "expected an IANA name such as Asia/Tokyo") from error


def _named(key: str, configured: Mapping[str, Any], default: str) -> dict[str, dict[str, str]]:
    """slug -> {locale: name}, each with a name in the default language."""
    named: dict[str, dict[str, str]] = {}
    for slug, names in configured.items():
        if not isinstance(names, Mapping) or not names.get(default):
            raise SettingsError(f"{PLUGIN_KEY}.{key}.{slug}: expected names by language, "
                                f"at least {{{default}: ...}}; found {names!r}")
        named[str(slug)] = {str(locale): str(name) for locale, name in names.items()}
    return named


def _known_locales(key: str, locales: list[str], languages: list[Language]) -> list[str]:
    known = [lang.locale for lang in languages]
    for locale in locales:
        if locale not in known:
            raise SettingsError(f"{PLUGIN_KEY}.{key}: unknown language '{locale}'; "
                                f"expected one of {', '.join(known)}")
    return list(locales)
