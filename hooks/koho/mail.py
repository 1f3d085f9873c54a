"""Mail delivery of notices: each new notice of a language goes to that
language's list over SMTP, once.

A state file records, per list, the version of each notice the server has
accepted. A notice is recorded only after the server accepts it, and the file
is replaced atomically after each message, so a crash or a refused connection
never loses a notice; the next run sends what is left. A minor change sends
nothing; a major update sends once more, marked as updated. Emergencies go
first. The Message-ID is derived from the list, notice and version, so a
message re-sent after a crash between acceptance and recording carries the
same Message-ID and receivers can drop the duplicate.

Without a state file nothing is sent: a new clone or a lost CI cache would
otherwise mail every active notice again. `initial_state` records every
current notice as sent (`koho mail --init`), so a site turns mail on without
mailing its archive. A state file that cannot be read stops the run before
anything is sent, with a message naming the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import smtplib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from markupsafe import Markup

from .feeds import absolute_links
from .markdown_analysis import MarkdownSetup, render_html
from .notices import Notice
from .plain_text import html_to_text
from .safe_content import clean_html
from .settings import Settings

if TYPE_CHECKING:
    from .templates import Templates


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    starttls: bool
    user: str | None
    password: str | None
    sender: str
    lists: dict[str, str]  # locale -> list address
    unsubscribe: str  # URL or mailto: address for List-Unsubscribe
    state_file: Path
    site_url: str
    authority: str  # domain for Message-IDs


def settings_from(settings: Settings, environ: dict[str, str]) -> MailSettings:
    """The site's mail settings with the KOHO_SMTP_* and KOHO_MAIL_STATE variables over them."""
    mail = settings.mail
    state = Path(environ.get("KOHO_MAIL_STATE") or mail.state_file)
    return MailSettings(
        host=environ.get("KOHO_SMTP_HOST", mail.host),
        port=int(environ.get("KOHO_SMTP_PORT", mail.port)),
        starttls=environ.get("KOHO_SMTP_STARTTLS", str(mail.starttls)).lower() in ("1", "true", "yes"),
        user=environ.get("KOHO_SMTP_USER") or mail.user,
        password=environ.get("KOHO_SMTP_PASSWORD"),
        sender=mail.sender,
        lists=dict(mail.lists),
        unsubscribe=mail.unsubscribe or urljoin(settings.site_url, "subscribe/"),
        state_file=state if state.is_absolute() else settings.root / state,
        site_url=settings.site_url,
        authority=settings.feeds.authority,
    )


@dataclass(frozen=True)
class Delivery:
    notice: Notice
    address: str
    updated: bool  # a major update of a notice already sent


class StateError(Exception):
    """The state file is missing or cannot be used: nothing may be sent.
    `code` is a message key in messages.yml; `line` is where in the file, if known."""

    def __init__(self, code: str, found: str = "", line: int = 1) -> None:
        super().__init__(f"{code}: {found}")
        self.code, self.found, self.line = code, found, line


State = dict[str, dict[str, str]]  # locale -> notice identity -> version (ISO date-time) sent


def load_state(path: Path) -> State:
    """The recorded state; StateError if there is none, or it cannot be read as one."""
    if not path.exists():
        raise StateError("mail_state_missing")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise StateError("mail_state_unreadable", f"{type(error).__name__}: {error}") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise StateError("mail_state_invalid", error.msg, error.lineno) from error
    lists = data.get("lists") if isinstance(data, dict) else None
    if not isinstance(lists, dict):
        raise StateError("mail_state_invalid", 'no {"lists": {...}}')
    for locale, sent in lists.items():
        if not isinstance(sent, dict):
            raise StateError("mail_state_invalid", f"lists.{locale}: {sent!r}")
        for identity, version in sent.items():
            try:
                dt.datetime.fromisoformat(version)
            except (TypeError, ValueError) as error:
                raise StateError("mail_state_invalid", f"lists.{locale}.{identity}: {version!r}") from error
    return lists


def save_state(path: Path, state: State) -> None:
    """Replace the state file atomically: it is either the old or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".mail-state-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump({"lists": state}, file, ensure_ascii=False, indent=2, sort_keys=True)
            file.write("\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def initial_state(notices: list[Notice], lists: dict[str, str], now: dt.datetime,
                  since: dt.datetime | None = None) -> State:
    """Every active notice of a language with a list recorded as sent (`koho mail --init`),
    except, with `since`, those published or updated from then on: they stay to be sent."""
    state: State = {}
    for delivery in pending(notices, {}, lists, now):
        notice = delivery.notice
        if since is None or notice.version < since:
            state.setdefault(notice.locale, {})[notice.identity] = notice.version.isoformat()
    return state


def pending(notices: list[Notice], state: State, lists: dict[str, str],
            now: dt.datetime, since: dt.datetime | None = None) -> list[Delivery]:
    """What each list has not been sent yet, emergencies first, then oldest first;
    with `since`, only notices published or updated from then on."""
    deliveries = []
    for notice in notices:
        address = lists.get(notice.locale)
        if address is None or not notice.is_active(now) or (since and notice.version < since):
            continue
        sent = state.get(notice.locale, {}).get(notice.identity)
        if sent is None:
            deliveries.append(Delivery(notice, address, updated=False))
        elif dt.datetime.fromisoformat(sent) < notice.version:
            deliveries.append(Delivery(notice, address, updated=True))
    return sorted(deliveries, key=lambda d: (not d.notice.emergency, d.notice.date, d.notice.identity))


def message_id(delivery: Delivery, authority: str) -> str:
    key = f"{delivery.address}|{delivery.notice.locale}|{delivery.notice.identity}|" \
          f"{delivery.notice.version.isoformat()}"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{authority}>"


_MARKDOWN_LINK = re.compile(r'(?P<attr>\bhref)="(?P<path>(?![a-z][a-z0-9+.-]*:|//|/)[^"#]*?)'
                            r'(?P<page>[^"/#]+)\.md(?P<anchor>#[^"]*)?"')


def page_links(html: str) -> str:
    """Links to other pages as the editor wrote them (`../../about.md`, relative to the
    notice's file) as MkDocs writes them in the built page (`../../../about/`, relative
    to the notice's own folder URL), so that they can be made absolute from its URL."""
    def built(match: re.Match[str]) -> str:
        page = "" if match["page"] == "index" else f"{match['page']}/"
        return f'{match["attr"]}="../{match["path"]}{page}{match["anchor"] or ""}"'

    return _MARKDOWN_LINK.sub(built, html)


def compose(delivery: Delivery, settings: MailSettings, strings: dict[str, str], language_tag: str,
            now: dt.datetime, templates: Templates, markdown: MarkdownSetup) -> EmailMessage:
    """One notice as a mail in its list's language: HTML rendered with the site's Markdown
    extensions and sanitised (nh3), and plain text read from that HTML, so no Markdown
    syntax reaches the reader. Content-Language is on the message and on each part."""
    notice = delivery.notice
    url = urljoin(settings.site_url, notice.url)
    prefix = strings["mail.emergency_prefix"] if notice.emergency else ""
    if delivery.updated:
        prefix += strings["mail.updated_prefix"]
    message = EmailMessage()
    message["Subject"] = f"{prefix}{notice.title}"
    message["From"] = settings.sender
    message["To"] = delivery.address
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(delivery, settings.authority)
    message["List-Unsubscribe"] = f"<{settings.unsubscribe}>"
    body = clean_html(absolute_links(page_links(render_html(notice.body, markdown)), url))
    text = f"{notice.title}\n\n{notice.summary}\n\n{url}\n\n{html_to_text(body)}\n\n" \
           f"-- \n{strings['mail.footer']}\n{settings.unsubscribe}\n"
    message.set_content(text)
    message.add_alternative(
        templates.render("mail.html", notice=notice, url=url, body=Markup(body),
                         unsubscribe=settings.unsubscribe, lang=language_tag, t=strings),
        subtype="html",
    )
    # Set last: making the message multipart moves every Content-* header into its first part.
    for part in (message, *message.iter_parts()):
        del part["Content-Language"]
        part["Content-Language"] = language_tag
    return message


@dataclass(frozen=True)
class Report:
    sent: list[Delivery]
    error: str | None  # why sending stopped, if it did


def deliver(deliveries: list[Delivery], settings: MailSettings, state: State,
            compose_message: Callable[[Delivery], EmailMessage],
            connect: Callable[[MailSettings], smtplib.SMTP] | None = None) -> Report:
    """Send in order; record each notice in `state` (as read from the state file)
    as soon as the server accepts it."""
    state = {locale: dict(sent) for locale, sent in state.items()}
    sent: list[Delivery] = []
    if not deliveries:
        return Report(sent, None)
    try:
        with (connect or open_smtp)(settings) as smtp:
            for delivery in deliveries:
                smtp.send_message(compose_message(delivery))
                state.setdefault(delivery.notice.locale, {})[delivery.notice.identity] = \
                    delivery.notice.version.isoformat()
                save_state(settings.state_file, state)
                sent.append(delivery)
    except (smtplib.SMTPException, OSError) as error:
        return Report(sent, f"{type(error).__name__}: {error}")
    return Report(sent, None)


def open_smtp(settings: MailSettings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=30)
    if settings.starttls:
        smtp.starttls()
    if settings.user:
        smtp.login(settings.user, settings.password or "")
    return smtp
