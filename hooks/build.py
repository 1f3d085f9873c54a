"""MkDocs hooks: the build steps of Koho, run once per language by static-i18n.

Each step calls a function of the `koho` package (hooks/koho/), which the
editors' command line and the tests call too.
"""

from __future__ import annotations

import json
from pathlib import Path

from koho import glossary, search, site_output, validation
from koho.languages import (
    current_language,
    default_language,
    is_outermost_build,
    site_languages,
    ui_strings,
)
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

# Pages shown in a language from the default language's file, by locale.
_untranslated: dict[str, set[str]] = {}
_glossary: dict[str, list[glossary.GlossaryEntry]] = {}
# Each language build writes the one site/404.html; keep each language's copy.
_not_found_pages: dict[str, str] = {}


def on_pre_build(config) -> None:
    lang = current_language(config)
    docs_dir = Path(config["docs_dir"])
    if lang.default:
        _untranslated.clear()
        problems = validation.check_docs(docs_dir, Path(config["config_file_path"]).parent)
        if problems:
            report = "\n".join(validation.format_problem(p) for p in problems)
            raise PluginError(f"{len(problems)} 件の問題があるため、サイトを作りませんでした。\n{report}")
    _glossary[lang.locale] = glossary.load_glossary(
        docs_dir, lang.locale, default_language(config).locale
    )


def on_env(env, config, files):
    lang = current_language(config)
    env.globals["koho"] = {
        "t": ui_strings(lang.locale),
        "lang": lang,
        "languages": {each.locale: each for each in site_languages(config)},
    }
    return env


def on_page_content(html, page, config, files):
    lang = current_language(config)
    source = default_language(config)
    if page.file.locale != lang.locale:
        _untranslated.setdefault(lang.locale, set()).add(page.url)
        page.meta["koho_untranslated"] = True
        html = f'<div lang="{source.tag}" class="koho-untranslated">{html}</div>'
    if page.file.norm_src_uri != glossary.GLOSSARY_FILE:
        html = glossary.attach_definitions(html, _glossary.get(lang.locale, []), lang.tag)
    return html


def on_post_page(output, page, config):
    return _finish_html(output, config)


def _finish_html(output: str, config) -> str:
    lang = current_language(config)
    output = site_output.use_language_base(output, lang)
    output = site_output.label_search_dialog(output, ui_strings(lang.locale)["search.dialog"])
    return site_output.remove_hreflang_links(output)


def on_post_template(output, template_name, config):
    if template_name == "404.html":
        lang = current_language(config)
        output = _finish_html(output, config)
        _not_found_pages[lang.locale] = output
    return output


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
