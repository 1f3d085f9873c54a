"""The MkDocs adapter: Koho as an MkDocs plugin (`plugins: - koho:` in mkdocs.yml).

This is the one module, with cli.py, that talks to MkDocs and to the i18n plugin
(mkdocs-static-i18n, which builds the site once per language on the same config
and the same plugin instance). Each event hands plain records to the `koho`
modules, which import nothing from MkDocs; state that spans the language builds
lives on the plugin instance, keyed by locale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config, load_config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from . import (
    a11y_report,
    content,
    easy_japanese,
    events,
    feeds,
    furigana,
    glossary,
    inline_language,
    notice_pages,
    notices,
    opendata,
    procedures,
    search,
    search_bundle,
    site_output,
    translations_status,
    validation,
)
from .languages import TRANSLATIONS_DIR, Language
from .markdown_analysis import MarkdownSetup
from .settings import Settings, SettingsError, read_settings
from .templates import CompiledTemplates, Templates, relative_url

THEME_DIR = Path(__file__).with_name("theme")
log = get_plugin_logger("koho")
ASSETS = {"extra_css": "assets/stylesheets/koho.css", "extra_javascript": "assets/javascripts/koho.js"}


class StrictConfig(Config):
    """A config whose unknown keys are errors naming the key and what is allowed."""

    def _validate(self):
        failed, warnings = super()._validate()
        allowed = ", ".join(key for key, _ in self._schema)
        for key, message in warnings:
            if message.startswith("Unrecognised configuration name"):
                failed.append((key, c.ValidationError(f"unknown setting '{key}'; allowed: {allowed}")))
        return failed, [(k, m) for k, m in warnings if not m.startswith("Unrecognised configuration name")]


class FeedsConfig(StrictConfig):
    authority = c.Type(str, default="example.org")  # a domain the city controls, for tag: URIs
    authority_date = c.Type(str, default="2026")
    items = c.Type(int, default=20)


class MailConfig(StrictConfig):
    host = c.Type(str, default="127.0.0.1")
    port = c.Type(int, default=25)
    starttls = c.Type(bool, default=False)
    user = c.Optional(c.Type(str))
    sender = c.Type(str, default="noreply@example.org")  # written `from:` (see below)
    unsubscribe = c.Optional(c.Type(str))
    state_file = c.Type(str, default=".koho/mail-state.json")
    lists = c.DictOfItems(c.Type(str), default={})


# The key `from` is not a Python name: rename the `sender` option's key.
MailConfig._schema = tuple(("from" if key == "sender" else key, option) for key, option in MailConfig._schema)


class FuriganaConfig(StrictConfig):
    on_by_default = c.ListOfItems(c.Type(str), default=[])


class MunicipalityConfig(StrictConfig):
    code = c.Optional(c.Type((str, int)))  # 全国地方公共団体コード, 6 digits with check digit, quoted
    names = c.DictOfItems(c.Type(str), default={})  # locale -> the municipality's name


class OpenDataConfig(StrictConfig):
    publisher = c.DictOfItems(c.Type(str), default={})  # locale -> name; default: the municipality
    publisher_url = c.Optional(c.Type(str))
    licence = c.Type(str, default="CC BY 4.0")
    licence_url = c.Type(str, default="https://creativecommons.org/licenses/by/4.0/")
    attribution = c.DictOfItems(c.Type(str), default={})  # locale -> the credit to show


class EasyJapaneseConfig(StrictConfig):
    locale = c.Optional(c.Type(str))  # the language written in やさしい日本語, e.g. ja-easy
    sentence_length = c.Type(int, default=50)  # characters a sentence, spaces not counted
    kanji_share = c.Type((int, float), default=0.4)  # of a sentence's Japanese characters
    words = c.ListOfItems(c.Type(str), default=[])  # the site's hard-words files, over Koho's


class KohoConfig(StrictConfig):
    timezone = c.Type(str, default="Asia/Tokyo")
    language_tags = c.DictOfItems(c.Type(str), default={})  # locale -> BCP 47 tag
    interface_languages = c.DictOfItems(c.Type(str), default={})  # locale -> Material language
    strings_dir = c.Optional(c.Type(str))  # the site's own interface strings, over Koho's
    furigana = c.SubConfig(FuriganaConfig)
    feeds = c.SubConfig(FeedsConfig)
    mail = c.SubConfig(MailConfig)
    categories = c.DictOfItems(c.DictOfItems(c.Type(str)), default={})
    life_events = c.DictOfItems(c.DictOfItems(c.Type(str)), default={})
    accessibility_results = c.Type(str, default="accessibility-results.json")
    municipality = c.SubConfig(MunicipalityConfig)
    opendata = c.SubConfig(OpenDataConfig)
    easy_japanese = c.SubConfig(EasyJapaneseConfig)


def plain(value: Any) -> Any:
    """A checked config as nested plain dicts and lists."""
    if isinstance(value, Config):  # a UserDict; an option named `items` hides .items()
        value = value.data
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def site_languages(config: Any, tags: dict[str, str]) -> list[Language]:
    return [Language(lang.locale, tags.get(lang.locale, lang.locale), lang.name, lang.default)
            for lang in config.plugins["i18n"].config.languages if lang.build]


def one_language_options(options: dict, languages: list[Language]) -> dict:
    """The options for a one-language preview (the i18n plugin's build_only_locale, set by
    `KOHO_LANG=ja make serve`): the languages that are not built are left out of the options
    that name languages, which otherwise name only languages the site builds."""
    built = {lang.locale for lang in languages}
    options = {**options, "furigana": {**options["furigana"], "on_by_default": [
        locale for locale in options["furigana"]["on_by_default"] if locale in built]}}
    for section, key in (("municipality", "names"), ("opendata", "publisher"), ("opendata", "attribution")):
        names = (options.get(section) or {}).get(key) or {}
        options[section] = {**options[section], key: {locale: name for locale, name in names.items()
                                                      if locale in built}}
    easy = options.get("easy_japanese") or {}
    if easy.get("locale") is not None and easy["locale"] not in built:
        options["easy_japanese"] = {key: value for key, value in easy.items() if key != "locale"}
    return options


def settings_of(config: Any, options: KohoConfig) -> Settings:
    root = Path(config.config_file_path).parent
    languages = site_languages(config, dict(options.language_tags))
    checked = plain(options)
    if config.plugins["i18n"].config.build_only_locale:
        checked = one_language_options(checked, languages)
    try:
        return read_settings(checked, languages, root, config.site_url or "", TRANSLATIONS_DIR,
                             MarkdownSetup.from_config(config))
    except SettingsError as error:
        raise PluginError(str(error)) from error


def load_site_settings(root: Path) -> Settings:
    """The settings of the site at `root`, as the build reads them (for koho's commands)."""
    config = load_config(str(root / "mkdocs.yml"))
    return settings_of(config, config.plugins["koho"].config)


@dataclass
class BuildState:
    """What one build of the whole site (every language) gathers."""
    settings: Settings
    now: Any
    notices: list[notices.Notice]
    procedures: list[procedures.Procedure]
    untranslated: dict[str, set[str]] = field(default_factory=dict)  # locale -> page URLs
    fallback_titles: dict[str, set[str]] = field(default_factory=dict)  # titles of those pages
    glossary: dict[str, list[glossary.GlossaryEntry]] = field(default_factory=dict)
    not_found_pages: dict[str, str] = field(default_factory=dict)  # one 404 page per language
    notice_html: dict[tuple[str, str], str] = field(default_factory=dict)  # (locale, identity)
    site_names: dict[str, str] = field(default_factory=dict)
    templates: Templates | None = None  # Koho's partials; see KohoPlugin._templates
    pages: list[content.SourcePage] = field(default_factory=list)  # every checked page
    datasets: tuple[opendata.Dataset, ...] | None = None  # made once, see KohoPlugin._datasets
    translations: translations_status.Report | None = None  # every translation's status


class KohoPlugin(BasePlugin[KohoConfig]):
    def __init__(self) -> None:
        self.state: BuildState | None = None
        self.compiled_templates = CompiledTemplates()  # MkDocs' environment's, for every language
        self.dirty_preview = False

    def on_startup(self, *, command, dirty) -> None:
        self.dirty_preview = command == "serve" and dirty

    # -- configuration -------------------------------------------------------------

    def on_config(self, config):
        """Koho's theme folder sits under the site's overrides and over Material;
        its stylesheet and script come before the site's own."""
        dirs = config.theme.dirs
        if str(THEME_DIR) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        for key, path in ASSETS.items():
            if path not in [str(item) for item in config[key]]:
                config[key].insert(0, path)
        return config

    def on_serve(self, server, config, builder):
        """`make serve` reloads when Koho's own templates or code change, too."""
        server.watch(str(Path(__file__).parent))
        return server

    def _language(self, config) -> Language:
        return self.state.settings.language(config.plugins["i18n"].current_language)

    def _outermost(self, config) -> bool:
        """True once every language is built (the i18n plugin's last step is done)."""
        return not config.plugins["i18n"].building

    def _strings(self, config) -> dict[str, str]:
        return self.state.settings.strings(self._language(config).locale)

    def _templates(self, config) -> Templates:
        """Koho's partials through the loader of MkDocs' own environment (a site's overrides
        win over Koho's theme). Made on first use: pages are rendered before on_env."""
        if self.state.templates is None:
            self.state.templates = Templates(config.theme.get_env().loader)
        return self.state.templates

    # -- before pages ----------------------------------------------------------------

    def on_pre_build(self, config) -> None:
        locale = config.plugins["i18n"].current_language
        settings = self.state.settings if self.state else None
        if settings is None or locale == settings.default_language.locale:
            self._start_site(config)
        lang = self._language(config)
        # The headings' permalink title ("Permanent link") in the language being built.
        toc = config.mdx_configs.setdefault("toc", {})
        toc["permalink_title"] = self._strings(config)["heading.permalink"]
        self.state.site_names[lang.locale] = config.site_name
        self.state.glossary[lang.locale] = glossary.load_glossary(
            Path(config.docs_dir), lang.locale, self.state.settings.default_language.locale)

    def _start_site(self, config) -> None:
        """Once per build of the whole site: read the settings, check every page, read the notices."""
        settings = settings_of(config, self.config)
        pages, found, problems = content.read_checked(settings, Path(config.docs_dir))
        if problems:
            report = "\n".join(validation.format_problem(p) for p in problems)
            raise PluginError(f"{len(problems)} 件の問題があるため、サイトを作りませんでした。\n{report}")
        self.state = BuildState(settings, notices.build_time(settings.timezone), found,
                                procedures.procedures_from_pages(pages))
        self.state.pages = pages
        self.state.translations = translations_status.report(pages, settings.locales,
                                                             settings.default_language.locale)
        warnings = easy_japanese.check(pages, settings.easy_japanese, settings.root)
        if warnings:  # not a warning of MkDocs': `mkdocs build --strict` would stop
            log.info(f"やさしい日本語の注意が {len(warnings)} 件あります（koho check で表示します）。 "
                     f"{len(warnings)} Easy Japanese warning(s): koho check shows them.")

    def on_env(self, env, config, files):
        env.bytecode_cache = self.compiled_templates
        lang = self._language(config)
        strings = self._strings(config)
        settings = self.state.settings
        env.globals["koho"] = {
            "t": strings,
            "lang": lang,
            "languages": {each.locale: each for each in settings.languages},
            "interface_language": settings.interface_languages.get(lang.locale),
            "emergency": self._emergency_banner(config, strings),
            "feeds": [
                {"href": lang.url_prefix + feeds.feed_file("", kind), "type": feeds.MEDIA_TYPES[kind],
                 "title": strings[f"feed.{kind}"]}
                for kind in feeds.FORMATS
            ],
        }
        return env

    def _emergency_banner(self, config, strings: dict[str, str]) -> dict | None:
        lang = self._language(config)
        source = self.state.settings.default_language
        notice, translated = notices.active_emergency(self.state.notices, lang.locale, source.locale,
                                                      self.state.now)
        if notice is None:
            return None
        relative = notice.url[len(source.url_prefix):] if notice.locale == source.locale else \
            notice.url[len(lang.url_prefix):]
        return {
            "title": notice.title,
            "summary": notice.summary,
            "time": notice_pages.time_element(self._templates(config), notice.last_change, strings,
                                              with_time=True),
            "updated": notice.updated is not None,
            "url": lang.url_prefix + relative,
            "translated": translated,
            "lang": lang.tag if translated else source.tag,
        }

    # -- each page -------------------------------------------------------------------

    def on_page_markdown(self, markdown, page, config, files):
        if isinstance(page.meta.get("description"), str):
            # Material writes it into an attribute without escaping: quotes, < and & as entities.
            page.meta["description"] = escape(page.meta["description"])
        lang = self._language(config)
        strings = self._strings(config)
        settings, state = self.state.settings, self.state
        templates = self._templates(config)

        def list_html(match) -> str:
            args = notice_pages.list_arguments(match["args"])
            chosen = notices.listed(state.notices, lang.locale, state.now, args.get("category"))
            if "latest" in args:
                chosen = chosen[: int(args["latest"])]
            return notice_pages.render_list(
                templates, chosen, page.url, strings, {c.slug: c for c in settings.categories}, lang.locale,
                by_year="latest" not in args,
            )

        markdown = notice_pages.LIST_MARKER.sub(list_html, markdown)
        markdown = self._procedure_markdown(markdown, page, config)
        if page.meta.get("sample") and not self._notice_of(page) \
                and "/procedures/" not in f"/{page.file.src_uri}":
            markdown = site_output.add_sample_note(markdown, self._sample_note(page, config))
        markdown = a11y_report.MARKER.sub(lambda _: self._accessibility_results(config), markdown)
        markdown = opendata.CATALOG_MARKER.sub(lambda _: self._opendata_catalog(page, config), markdown)
        markdown = translations_status.STATUS_MARKER.sub(lambda _: self._translation_status(page, config),
                                                         markdown)
        if page.file.norm_src_uri == glossary.GLOSSARY_FILE:
            markdown = markdown.rstrip("\n") + "\n\n" + self._opendata_link("glossary", page, config) + "\n"
        return notice_pages.FEEDS_MARKER.sub(lambda _: self._feed_list(page, config), markdown)

    def _sample_note(self, page, config) -> str:
        """In the reader's language, also above an untranslated page."""
        lang = self._language(config)
        strings = self._strings(config)
        return self._templates(config).render(
            "sample-note.html", title=strings["page.sample"], note=strings["page.sample_note"],
            lang=lang.tag if page.file.locale != lang.locale else None)

    def _translation_status(self, page, config) -> str:
        """The editors' view, in the language the page is written in (also where it is
        shown untranslated, inside the original's language)."""
        settings = self.state.settings
        written_in = settings.language(page.file.locale)
        return translations_status.render_status_page(
            self._templates(config), self.state.translations, list(settings.languages),
            settings.strings(written_in.locale), page.url, written_in.tag)

    def _accessibility_results(self, config) -> str:
        lang = self._language(config)
        results = a11y_report.load(self.state.settings.accessibility_results)
        return a11y_report.render(self._templates(config), results, self._strings(config), lang.locale,
                                  lang.url_prefix)

    def _procedure_markdown(self, markdown: str, page, config) -> str:
        lang = self._language(config)
        t = self._strings(config)
        settings = self.state.settings
        templates = self._templates(config)
        relative = page.file.norm_src_uri
        record = next((p for p in self.state.procedures
                       if p.locale == page.file.locale and p.relative == relative), None)
        if record:
            markdown = (procedures.render_page_top(templates, record, t, lang.tag)
                        + self._opendata_link("procedures", page, config) + "\n\n" + markdown)
        default = settings.default_language
        life_events = {slug: settings.life_event_name(slug, lang.locale) for slug in settings.life_events}
        listed = procedures.in_language(self.state.procedures, lang.locale, default.locale)
        markdown = procedures.LIFE_EVENTS_MARKER.sub(
            lambda _: procedures.render_life_events(
                templates, [p for p, _ in listed],
                lang.url_prefix + procedures.index_folder([p for p, _ in listed]), page.url, t, life_events),
            markdown,
        )
        markdown = search.SEARCH_MARKER.sub(lambda _: templates.render("search-form.html", t=t), markdown)
        return procedures.INDEX_MARKER.sub(
            lambda _: procedures.render_index(templates, listed, lang.url_prefix, page.url, t, life_events,
                                              default.tag),
            markdown,
        )

    def _feed_list(self, page, config) -> str:
        lang = self._language(config)
        categories = self.state.settings.categories

        def files(slug):
            return {kind: feeds.feed_file(feeds.feed_stem(slug), kind) for kind in feeds.FORMATS}

        return notice_pages.render_feed_list(
            self._templates(config), lang.url_prefix, page.url, self._strings(config), list(categories),
            lang.locale, files(None), {c.slug: files(c.slug) for c in categories},
        )

    def _notice_of(self, page) -> notices.Notice | None:
        relative = page.file.norm_src_uri
        if not relative.startswith(f"{notices.NOTICES_DIR}/"):
            return None
        identity = relative.removesuffix(".md")
        return next((n for n in self.state.notices if n.locale == page.file.locale
                     and n.path.endswith(f"/{identity}.md")), None)

    def on_page_content(self, html, page, config, files):
        lang = self._language(config)
        state = self.state
        templates = self._templates(config)
        source = state.settings.default_language
        notice = self._notice_of(page)
        if notice and notice.locale == lang.locale:
            state.notice_html[(lang.locale, notice.identity)] = html
        untranslated = page.file.locale != lang.locale
        self._translation_notes(page, config, untranslated)
        if untranslated:
            state.untranslated.setdefault(lang.locale, set()).add(page.url)
            state.fallback_titles.setdefault(lang.locale, set()).update(_titles_of(page))
            page.meta["koho_untranslated"] = True
            # Its language's search index leaves it out (search.split_index): Material's
            # search need not read it at all (a large part of a build with many fallbacks).
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
            html = templates.render("untranslated.html", lang=source.tag, content=Markup(html))
        if notice:
            event = self._event_details(notice, page, config)
            lead, rest = notice_pages.split_lead(html) if event else ("", html)
            html = (self._notice_header(notice, page, config, source.tag if untranslated else None)
                    + lead + event + rest)
        if page.file.norm_src_uri != glossary.GLOSSARY_FILE:
            html = glossary.attach_definitions(templates, html, state.glossary.get(lang.locale, []), lang.tag)
        html = inline_language.mark_inline_languages(html, lang.tag)
        html = furigana.add_ruby(html, lang.tag)
        if lang.locale in state.settings.furigana_on_by_default:
            html = templates.render("furigana-default.html", content=Markup(html))
        return html

    def _translation_notes(self, page, config, untranslated: bool) -> None:
        """For page-notices.html, a note above an outdated translation; for the language
        switcher, a word (in that language) beside each language the page is untranslated
        or outdated in."""
        lang = self._language(config)
        settings = self.state.settings
        source = settings.default_language
        statuses = self.state.translations.by_key
        relative = page.file.norm_src_uri
        own = statuses.get((lang.locale, relative))
        if not untranslated and own is not None and own.state == "outdated":
            original = relative_url(translations_status.built_url(relative, source.url_prefix), page.url)
            page.meta["koho_outdated"] = Markup(translations_status.render_outdated_notice(
                self._templates(config), own, self._strings(config), original, source.tag))
        notes = {}
        for other in settings.languages:
            status = statuses.get((other.locale, relative))
            if other.locale != lang.locale and status is not None and status.state in ("missing", "outdated"):
                key = "language.untranslated" if status.state == "missing" else "language.outdated"
                notes[other.locale] = settings.strings(other.locale)[key]
        page.meta["koho_language_notes"] = notes

    def _notice_header(self, notice, page, config, title_lang: str | None) -> str:
        lang = self._language(config)
        category = self.state.settings.category(notice.category)
        category_href = relative_url(f"{lang.url_prefix}notices/categories/{category.slug}/", page.url)
        return notice_pages.notice_header(self._templates(config), notice, self._strings(config), category,
                                          lang.locale, self.state.now, category_href, title_lang)

    def on_post_page(self, output, page, config):
        return self._finish_html(output, config, page.file.src_uri)

    def on_post_template(self, output, template_name, config):
        if template_name == "404.html":
            output = self._finish_html(output, config, template_name)
            self.state.not_found_pages[self._language(config).locale] = output
        return output

    def _finish_html(self, output: str, config, name: str) -> str:
        try:
            return self._patch_material_html(output, config)
        except site_output.PatchError as error:
            raise PluginError(f"{name}: {error}") from error

    def _patch_material_html(self, output: str, config) -> str:
        lang = self._language(config)
        strings = self._strings(config)
        source = self.state.settings.default_language
        output = site_output.use_language_base(output, lang)
        output = site_output.use_koho_search_worker(output)
        output = site_output.label_search_dialog(output, strings["search.dialog"])
        output = site_output.drop_toggle_autocomplete(output)
        output = site_output.ensure_skip_link(output, self._templates(config).render(
            "skip-link.html", target=site_output.NOT_FOUND_HEADING, label=strings["skip.content"]))
        if source.tag != lang.tag:
            output = site_output.mark_fallback_titles(
                output, self.state.fallback_titles.get(lang.locale, set()), source.tag)
        output = inline_language.mark_inline_languages(output, lang.tag)  # navigation and header too
        return site_output.remove_hreflang_links(output)

    # -- after every language ----------------------------------------------------------

    @event_priority(-110)  # after static-i18n has built every language and merged the index
    def on_post_build(self, config) -> None:
        if not self._outermost(config):
            return
        state = self.state
        site_dir = Path(config.site_dir)
        languages = list(state.settings.languages)
        site_output.write_not_found_pages(site_dir, state.not_found_pages, languages)
        merged = site_output.read_search_index(site_dir)
        indexes = search.split_index(merged, languages, state.untranslated)
        bundles = search_bundle.bundles(site_dir, languages, indexes)
        if self.dirty_preview and all(bundle.output.is_dir() for bundle in bundles):
            # `KOHO_LANG=ja make serve` (--dirty): a save shows at once; search keeps the
            # first build's index until the preview restarts (indexing takes seconds).
            log.info("Search in this preview keeps the index of its first build.")
        else:
            try:
                search_bundle.write_bundles(bundles, self._templates(config))
            except search_bundle.SearchBundleError as error:
                raise PluginError(str(error)) from error
        search_bundle.write_stub_indexes(site_dir, indexes, languages, urlsplit(config.site_url or "/").path)
        site_output.fix_sitemap_hreflang(site_dir, config.site_url, languages, state.untranslated)
        site_output.write_language_sitemaps(site_dir, config.site_url, languages)
        self._write_feeds(config, site_dir)
        opendata.write(site_dir / opendata.DATA_DIR, self._datasets(config), self._opendata_sources(config),
                       state.now)

    # -- open data ---------------------------------------------------------------------

    def _opendata_sources(self, config) -> opendata.Sources:
        state = self.state
        return opendata.Sources(state.settings, state.notices, state.procedures, state.pages,
                                {**{lang.locale: config.site_name for lang in state.settings.languages},
                                 **state.site_names})

    def _datasets(self, config) -> tuple[opendata.Dataset, ...]:
        if self.state.datasets is None:
            self.state.datasets = opendata.build_datasets(self._opendata_sources(config))
        return self.state.datasets

    def _opendata_catalog(self, page, config) -> str:
        lang = self._language(config)
        return opendata.render_catalog(self._templates(config), self._datasets(config),
                                       self._opendata_sources(config), lang, page.url,
                                       self._strings(config), self.state.now)

    def _opendata_link(self, dataset_id: str, page, config) -> str:
        return opendata.render_link(self._templates(config), dataset_id, self._strings(config),
                                    self._language(config), page.url,
                                    opendata.has_catalog_page(self._opendata_sources(config)))

    def _event_details(self, notice, page, config) -> str:
        """The event box of an event notice: the page's own `event:` block, or the original's
        (its values marked as the original's language) when the translation has none."""
        lang = self._language(config)
        settings = self.state.settings
        source = settings.default_language
        event, value_lang = notice.event, None
        if event is None:
            original = next((n for n in self.state.notices if n.locale == source.locale
                             and n.identity == notice.identity), None)
            event = original.event if original else None
            value_lang = source.tag if source.tag != lang.tag else None
        elif notice.locale != lang.locale and source.tag != lang.tag:
            value_lang = source.tag
        if event is None:
            return ""
        return events.render_details(self._templates(config), event, self._strings(config),
                                     settings.timezone, value_lang,
                                     self._opendata_link("events", page, config))

    def _write_feeds(self, config, site_dir: Path) -> None:
        state = self.state
        settings = state.settings
        for lang in settings.languages:
            strings = settings.strings(lang.locale)
            names = {c.slug: c.name(lang.locale) for c in settings.categories}
            site_name = state.site_names.get(lang.locale, config.site_name)
            for slug in [None, *names]:
                chosen = notices.listed(state.notices, lang.locale, state.now, slug)[: settings.feeds.items]
                items = [feeds.FeedItem(n, state.notice_html.get((lang.locale, n.identity), ""))
                         for n in chosen]
                title = strings["feed.title" if slug is None else "feed.category_title"].format(
                    site=site_name, category=names.get(slug, ""))
                spec = feeds.FeedSpec(
                    title=title, description=strings["feed.description"], language=lang.tag,
                    folder=lang.url_prefix, stem=feeds.feed_stem(slug),
                    home=lang.url_prefix + ("notices/" if slug is None else f"notices/categories/{slug}/"),
                )
                rendered = feeds.render_feeds(spec, items, config.site_url, settings.feeds.authority,
                                              settings.feeds.authority_date, names)
                for kind, text in rendered.items():
                    path = site_dir / lang.url_prefix / feeds.feed_file(spec.stem, kind)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8")


def _titles_of(page) -> set[str]:
    """The page's title and its headings' titles, as the navigation shows them."""
    titles, anchors = {page.title}, list(page.toc)
    while anchors:
        anchor = anchors.pop()
        titles.add(unescape(anchor.title))
        anchors.extend(anchor.children)
    return titles

