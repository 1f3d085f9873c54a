"""Koho's own settings, read once from `extra.koho` in mkdocs.yml."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .notices import Category, categories_from_config


@dataclass(frozen=True)
class Settings:
    timezone: ZoneInfo
    categories: list[Category]
    feed_authority: str  # a domain the city controls, for tag: URIs
    feed_authority_date: str  # a date when it controlled it, e.g. "2026"
    feed_items: int
    furigana_on_by_default: frozenset[str]  # locales whose readings show until turned off

    def category(self, slug: str) -> Category:
        return next(c for c in self.categories if c.slug == slug)


def settings_from_extra(extra: dict) -> Settings:
    koho = extra.get("koho") or {}
    feeds = koho.get("feeds") or {}
    return Settings(
        timezone=ZoneInfo(koho.get("timezone", "Asia/Tokyo")),
        categories=categories_from_config(extra),
        feed_authority=str(feeds.get("authority", "example.org")),
        feed_authority_date=str(feeds.get("authority_date", "2026")),
        feed_items=int(feeds.get("items", 20)),
        furigana_on_by_default=frozenset((koho.get("furigana") or {}).get("on_by_default", [])),
    )
