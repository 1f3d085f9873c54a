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

from .easy_japanese import EasyJapaneseSettings
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
class OpenDataSettings:
    """Who publishes the site's open data and under which licence (plugins.koho.municipality
    and plugins.koho.opendata); names by locale, each falling back to the default language."""
    municipality_code: str | None  # 全国地方公共団体コード, 6 digits with check digit
    municipality: Mapping[str, str]  # locale -> the municipality's name
    publisher: Mapping[str, str]  # locale -> publisher's name (default: the municipality)
    publisher_url: str | None
    licence_name: str
    licence_url: str
    attribution: Mapping[str, str]  # locale -> the credit users are asked to show

    def municipality_name(self, locale: str, default_locale: str, fallback: str = "") -> str:
        return self.municipality.get(locale) or self.municipality.get(default_locale) or fallback

    def publisher_name(self, locale: str, default_locale: str, fallback: str = "") -> str:
        return (self.publisher.get(locale) or self.publisher.get(default_locale)
                or self.municipality_name(locale, default_locale, fallback))


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
    opendata: OpenDataSettings = field(repr=False)  # the publisher and licence of /opendata/
    markdown: MarkdownSetup = field(repr=False)  # the site's Markdown extensions and their options
    easy_japanese: EasyJapaneseSettings = field(  # the checks of the Easy Japanese language
        default=EasyJapaneseSettings(None, 50, 0.4), repr=False)

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
        opendata=_opendata(options.get("municipality") or {}, options.get("opendata") or {}, languages),
        easy_japanese=_easy_japanese(options.get("easy_japanese") or {}, languages, root),
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


def local_government_code_check_digit(first_five: str) -> int:
    """The check digit of a 全国地方公共団体コード (JIS X 0402): 11 minus the remainder of
    the weighted sum (6, 5, 4, 3, 2) divided by 11, its last digit."""
    total = sum(int(digit) * weight for digit, weight in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def _municipality_code(value: Any) -> str | None:
    key = f"{PLUGIN_KEY}.municipality.code"
    if value is None:
        return None
    if not isinstance(value, str):
        raise SettingsError(f"{key}: found {value!r}; write the 6-digit code in quotes, e.g. \"132284\"")
    code = value.strip()
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise SettingsError(f"{key}: '{value}' is not a 全国地方公共団体コード; expected 6 half-width "
                            "digits (5 digits and a check digit), e.g. \"132284\"")
    expected = local_government_code_check_digit(code[:5])
    if int(code[5]) != expected:
        raise SettingsError(f"{key}: '{value}' has a wrong check digit; expected {code[:5]}{expected}")
    return code


def _names(key: str, names: Mapping[str, Any], languages: list[Language]) -> dict[str, str]:
    known = [lang.locale for lang in languages]
    for locale, name in names.items():
        if locale not in known:
            raise SettingsError(f"{PLUGIN_KEY}.{key}: unknown language '{locale}'; "
                                f"expected one of {', '.join(known)}")
        if not isinstance(name, str) or not name.strip():
            raise SettingsError(f"{PLUGIN_KEY}.{key}.{locale}: expected a name; found {name!r}")
    return {str(locale): str(name).strip() for locale, name in names.items()}


def _opendata(municipality: Mapping[str, Any], options: Mapping[str, Any],
              languages: list[Language]) -> OpenDataSettings:
    licence_url = options.get("licence_url") or "https://creativecommons.org/licenses/by/4.0/"
    publisher_url = options.get("publisher_url")
    for key, url in (("licence_url", licence_url), ("publisher_url", publisher_url)):
        if url is not None and not str(url).startswith(("https://", "http://")):
            raise SettingsError(f"{PLUGIN_KEY}.opendata.{key}: '{url}' is not a URL; "
                                "expected an address starting with https://")
    return OpenDataSettings(
        municipality_code=_municipality_code(municipality.get("code")),
        municipality=_names("municipality.names", municipality.get("names") or {}, languages),
        publisher=_names("opendata.publisher", options.get("publisher") or {}, languages),
        publisher_url=publisher_url,
        licence_name=options.get("licence") or "CC BY 4.0",
        licence_url=licence_url,
        attribution=_names("opendata.attribution", options.get("attribution") or {}, languages),
    )


def _easy_japanese(options: Mapping[str, Any], languages: list[Language], root: Path) -> EasyJapaneseSettings:
    key = f"{PLUGIN_KEY}.easy_japanese"
    locale = options.get("locale")
    if locale is not None:
        _known_locales("easy_japanese.locale", [locale], languages)
    length, share = options.get("sentence_length", 50), options.get("kanji_share", 0.4)
    if isinstance(length, bool) or not isinstance(length, int) or length < 1:
        raise SettingsError(f"{key}.sentence_length: expected a number of characters, e.g. 50; "
                            f"found {length!r}")
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
        raise SettingsError(f"{key}.kanji_share: expected a share between 0 and 1, e.g. 0.4; found {share!r}")
    files = []
    for name in options.get("words") or []:
        path = root / name
        if not path.is_file():
            raise SettingsError(f"{key}.words: no file '{name}' (relative to mkdocs.yml); expected a YAML "
                                "file of 'hard word: easier word' lines")
        files.append(path)
    return EasyJapaneseSettings(locale, length, float(share), tuple(files))
