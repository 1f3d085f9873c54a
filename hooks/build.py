"""MkDocs hooks: the build steps of Koho, run once per language by static-i18n.

Each step calls a function of the `koho` package (hooks/koho/), which the
editors' command line and the tests call too. State that spans the language
builds is kept here, keyed by locale.
"""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path

from koho import (
    a11y_report,
    content,
    feeds,
    furigana,
    glossary,
    inline_language,
    notice_pages,
    notices,
    procedures,
    search,
    site_output,
    validation,
)
from koho.languages import (
    current_language,
    default_language,
    is_outermost_build,
    site_languages,
    ui_strings,
)
from koho.settings import settings_from_extra
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

# Pages shown in a language from the default language's file, by locale.
_untranslated: dict[str, set[str]] = {}
_fallback_titles: dict[str, set[str]] = {}  # titles of untranslated pages, per language
_glossary: dict[str, list[glossary.GlossaryEntry]] = {}
# Each language build writes the one site/404.html; keep each language's copy.
_not_found_pages: dict[str, str] = {}
_notices: list[notices.Notice] = []
_procedures: list[procedures.Procedure] = []
_notice_html: dict[tuple[str, str], str] = {}  # (locale, identity) -> rendered body
_site_names: dict[str, str] = {}
_now: list = []
_settings: list = []  # the Settings of the build, read once in on_pre_build


def on_pre_build(config) -> None:
    lang = current_language(config)
    docs_dir = Path(config["docs_dir"])
    settings = settings_from_extra(config["extra"])
    _settings[:] = [settings]
    if lang.default:
        _start_site(config, docs_dir, settings)
    _site_names[lang.locale] = config["site_name"]
    _glossary[lang.locale] = glossary.load_glossary(
        docs_dir, lang.locale, default_language(config).locale
    )


def _start_site(config, docs_dir: Path, settings) -> None:
    """Once per build of the whole site: check every page and read the notices."""
    for state in (_untranslated, _fallback_titles, _notice_html, _not_found_pages):
        state.clear()
    root = Path(config["config_file_path"]).parent
    locales = [each.locale for each in site_languages(config)]
    default = default_language(config).locale
    pages, found, problems = content.read_checked(docs_dir, root, locales, default, config["extra"],
                                                  settings.timezone)
    if problems:
        report = "\n".join(validation.format_problem(p) for p in problems)
        raise PluginError(f"{len(problems)} 件の問題があるため、サイトを作りませんでした。\n{report}")
    _notices[:] = found
    _procedures[:] = procedures.procedures_from_pages(pages)
    _now[:] = [notices.build_time(settings.timezone)]


def on_env(env, config, files):
    lang = current_language(config)
    strings = ui_strings(lang.locale)
    env.globals["koho"] = {
        "t": strings,
        "lang": lang,
        "languages": {each.locale: each for each in site_languages(config)},
        "emergency": _emergency_banner(config, strings),
        "feeds": [
            {"href": lang.url_prefix + feeds.feed_file("", kind), "type": feeds.MEDIA_TYPES[kind],
             "title": strings[f"feed.{kind}"]}
            for kind in feeds.FORMATS
        ],
    }
    return env


def _emergency_banner(config, strings: dict[str, str]) -> dict | None:
    lang = current_language(config)
    source = default_language(config)
    notice, translated = notices.active_emergency(_notices, lang.locale, source.locale, _now[0])
    if notice is None:
        return None
    relative = notice.url[len(source.url_prefix):] if notice.locale == source.locale else \
        notice.url[len(lang.url_prefix):]
    return {
        "title": notice.title,
        "summary": notice.summary,
        "time": notice_pages.time_element(notice.last_change, strings, with_time=True),
        "updated": notice.updated is not None,
        "url": lang.url_prefix + relative,
        "translated": translated,
        "lang": lang.tag if translated else source.tag,
    }


def on_page_markdown(markdown, page, config, files):
    lang = current_language(config)
    strings = ui_strings(lang.locale)
    settings = _settings[0]

    def list_html(match) -> str:
        args = notice_pages.list_arguments(match["args"])
        chosen = notices.listed(_notices, lang.locale, _now[0], args.get("category"))
        if "latest" in args:
            chosen = chosen[: int(args["latest"])]
        return notice_pages.render_list(
            chosen, page.url, strings, {c.slug: c for c in settings.categories}, lang.locale,
            by_year="latest" not in args,
        )

    markdown = notice_pages.LIST_MARKER.sub(list_html, markdown)
    markdown = _procedure_markdown(markdown, page, config)
    if page.meta.get("sample") and not _notice_of(page) and "/procedures/" not in f"/{page.file.src_uri}":
        markdown = site_output.add_sample_note(markdown, strings["page.sample"], strings["page.sample_note"])
    markdown = a11y_report.MARKER.sub(lambda _: _accessibility_results(config), markdown)
    return notice_pages.FEEDS_MARKER.sub(lambda _: _feed_list(page, config), markdown)


def _accessibility_results(config) -> str:
    lang = current_language(config)
    results = a11y_report.load(Path(config["config_file_path"]).parent / a11y_report.RESULTS_FILE)
    return a11y_report.render(results, ui_strings(lang.locale), lang.locale, lang.url_prefix)


def _procedure_markdown(markdown: str, page, config) -> str:
    lang = current_language(config)
    t = ui_strings(lang.locale)
    relative = page.file.norm_src_uri
    record = next((p for p in _procedures if p.locale == page.file.locale and p.relative == relative),
                  None)
    if record:
        markdown = procedures.render_page_top(record, t, lang.tag) + markdown
    life_events = (config["extra"].get("koho") or {}).get("life_events") or {}
    default = default_language(config)
    return procedures.INDEX_MARKER.sub(
        lambda _: procedures.render_index(
            procedures.in_language(_procedures, lang.locale, default.locale), lang.url_prefix,
            page.url, t, life_events, lang.locale, default.tag),
        markdown,
    )


def _feed_list(page, config) -> str:
    lang = current_language(config)
    settings = _settings[0]

    def files(slug):
        return {kind: feeds.feed_file(feeds.feed_stem(slug), kind) for kind in feeds.FORMATS}

    return notice_pages.render_feed_list(
        lang.url_prefix, page.url, ui_strings(lang.locale), settings.categories, lang.locale,
        files(None), {c.slug: files(c.slug) for c in settings.categories},
    )


def _notice_of(page) -> notices.Notice | None:
    relative = page.file.norm_src_uri
    if not relative.startswith(f"{notices.NOTICES_DIR}/"):
        return None
    identity = relative.removesuffix(".md")
    return next((n for n in _notices if n.locale == page.file.locale
                 and n.path.endswith(f"/{identity}.md")), None)


def on_page_content(html, page, config, files):
    lang = current_language(config)
    source = default_language(config)
    notice = _notice_of(page)
    if notice and notice.locale == lang.locale:
        _notice_html[(lang.locale, notice.identity)] = html
    untranslated = page.file.locale != lang.locale
    if untranslated:
        _untranslated.setdefault(lang.locale, set()).add(page.url)
        _fallback_titles.setdefault(lang.locale, set()).update(_titles_of(page))
        page.meta["koho_untranslated"] = True
        html = f'<div lang="{source.tag}" class="koho-untranslated">{html}</div>'
    if notice:
        html = _notice_header(notice, page, config, source.tag if untranslated else None) + html
    if page.file.norm_src_uri != glossary.GLOSSARY_FILE:
        html = glossary.attach_definitions(html, _glossary.get(lang.locale, []), lang.tag)
    html = inline_language.mark_inline_languages(html, lang.tag)
    html = furigana.add_ruby(html, lang.tag)
    if lang.locale in _settings[0].furigana_on_by_default:
        html = f'<div class="koho-furigana-default">{html}</div>'
    return html


def _titles_of(page) -> set[str]:
    """The page's title and its headings' titles, as the navigation shows them."""
    titles, anchors = {page.title}, list(page.toc)
    while anchors:
        anchor = anchors.pop()
        titles.add(unescape(anchor.title))
        anchors.extend(anchor.children)
    return titles


def _notice_header(notice, page, config, title_lang: str | None) -> str:
    lang = current_language(config)
    settings = _settings[0]
    category = settings.category(notice.category)
    category_href = get_relative_url(f"{lang.url_prefix}notices/categories/{category.slug}/", page.url)
    return notice_pages.notice_header(notice, ui_strings(lang.locale), category, lang.locale,
                                      _now[0], category_href, title_lang)


def on_post_page(output, page, config):
    return _finish_html(output, config)


def on_post_template(output, template_name, config):
    if template_name == "404.html":
        output = _finish_html(output, config)
        _not_found_pages[current_language(config).locale] = output
    return output


def _finish_html(output: str, config) -> str:
    lang = current_language(config)
    output = site_output.use_language_base(output, lang)
    strings = ui_strings(lang.locale)
    output = site_output.label_search_dialog(output, strings["search.dialog"])
    output = site_output.translate_permalink_titles(output, strings["heading.permalink"])
    output = site_output.ensure_skip_link(output, strings["skip.content"])
    source = default_language(config)
    if source.tag != lang.tag:
        output = site_output.mark_fallback_titles(output, _fallback_titles.get(lang.locale, set()),
                                                  source.tag)
    output = inline_language.mark_inline_languages(output, lang.tag)  # navigation and header too
    return site_output.remove_hreflang_links(output)


@event_priority(-110)  # after static-i18n has built every language and merged the index
def on_post_build(config) -> None:
    if not is_outermost_build(config):
        return
    site_dir = Path(config["site_dir"])
    languages = site_languages(config)
    site_output.write_not_found_pages(site_dir, _not_found_pages, languages)
    merged = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    indexes = search.split_index(merged, languages, _untranslated)
    site_output.write_search_indexes(site_dir, indexes, languages)
    site_output.fix_sitemap_hreflang(site_dir, config["site_url"], languages)
    site_output.write_language_sitemaps(site_dir, config["site_url"], languages)
    _write_feeds(config, site_dir, languages)


def _write_feeds(config, site_dir: Path, languages) -> None:
    settings = _settings[0]
    for lang in languages:
        strings = ui_strings(lang.locale)
        names = {c.slug: c.name(lang.locale) for c in settings.categories}
        site_name = _site_names.get(lang.locale, config["site_name"])
        for slug in [None, *names]:
            chosen = notices.listed(_notices, lang.locale, _now[0], slug)[: settings.feed_items]
            items = [feeds.FeedItem(n, _notice_html.get((lang.locale, n.identity), "")) for n in chosen]
            title = strings["feed.title" if slug is None else "feed.category_title"].format(
                site=site_name, category=names.get(slug, ""))
            spec = feeds.FeedSpec(
                title=title, description=strings["feed.description"], language=lang.tag,
                folder=lang.url_prefix, stem=feeds.feed_stem(slug),
                home=lang.url_prefix + ("notices/" if slug is None else f"notices/categories/{slug}/"),
            )
            rendered = feeds.render_feeds(spec, items, config["site_url"], settings.feed_authority,
                                          settings.feed_authority_date, names)
            for kind, text in rendered.items():
                path = site_dir / lang.url_prefix / feeds.feed_file(spec.stem, kind)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
