"""koho mail, run in-process on the invented town, against a real SMTP server (aiosmtpd)
on 127.0.0.1."""

from __future__ import annotations

import email
import json
import re
from email import policy
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from conftest import BUILD_TIME, epoch, free_port
from test_notices import project_notices, ui_strings


class Recorder:
    """Accepts messages, or refuses every message after the first `refuse_after`."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse_after: int | None = None

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_after is not None and len(self.messages) >= self.refuse_after:
            return "554 5.3.0 Refused for the test"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, recorder
    controller.stop()


@pytest.fixture
def run_mail(koho, monkeypatch):
    """`koho mail` in a site folder, with the SMTP server and state file given by KOHO_* variables."""
    monkeypatch.delenv("KOHO_SITE_URL", raising=False)

    def run(project: Path, smtp_port: int, state: Path, *args: str):
        env = {"KOHO_SMTP_HOST": "127.0.0.1", "KOHO_SMTP_PORT": str(smtp_port),
               "KOHO_MAIL_STATE": str(state), "SOURCE_DATE_EPOCH": epoch(BUILD_TIME)}
        return koho(project, "mail", *args, env=env)

    return run


def empty_state(folder: Path) -> Path:
    """A state file that records nothing as sent: every active notice is new to every list."""
    path = folder / "state.json"
    path.write_text('{"lists": {}}\n', encoding="utf-8")
    return path


def expected_count(project: Path) -> int:
    found, now = project_notices(project)
    return sum(1 for notice in found if notice.is_active(now))


def emergency_prefixes() -> tuple[str, ...]:
    return tuple(ui_strings(locale)["mail.emergency_prefix"] for locale in ("ja", "en"))


def test_new_notices_are_sent_once(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    state = empty_state(tmp_path)
    count = expected_count(town_copy)
    assert count >= 4
    first = run_mail(town_copy, controller.port, state)
    assert first.returncode == 0, first.stderr
    assert len(recorder.messages) == count
    second = run_mail(town_copy, controller.port, state)
    assert second.returncode == 0
    assert len(recorder.messages) == count  # nothing re-sent
    ids = {m["Message-ID"] for m in recorder.messages}
    assert len(ids) == count


def test_messages_are_well_formed_and_emergencies_go_first(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    assert run_mail(town_copy, controller.port, empty_state(tmp_path)).returncode == 0
    found, now = project_notices(town_copy)
    active_emergencies = sum(1 for n in found if n.emergency and n.is_active(now))
    emergencies = [i for i, m in enumerate(recorder.messages)
                   if m["Subject"].startswith(emergency_prefixes())]
    assert emergencies == list(range(active_emergencies)) and active_emergencies == 2
    for message in recorder.messages:
        assert re.fullmatch(r"<[0-9a-f]{32}@town\.koho\.example>", message["Message-ID"])
        assert parsedate_to_datetime(message["Date"]).tzinfo is not None
        assert message["List-Unsubscribe"] == "<https://town.koho.example/subscribe/>"
        assert message.get_content_type() == "multipart/alternative"
        kinds = [part.get_content_type() for part in message.iter_parts()]
        assert kinds == ["text/plain", "text/html"]
        html = message.get_body(("html",)).get_content()
        assert "https://town.koho.example/" in html
        assert message["To"] in {"notices-ja@lists.town.koho.example", "notices-en@lists.town.koho.example"}


def test_each_language_goes_to_its_own_list(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    assert run_mail(town_copy, controller.port, empty_state(tmp_path)).returncode == 0
    found, now = project_notices(town_copy)
    for locale in ("ja", "en"):
        sent = [m for m in recorder.messages if m["To"] == f"notices-{locale}@lists.town.koho.example"]
        titles = {n.title for n in found if n.locale == locale and n.is_active(now)}
        assert len(sent) == len(titles) and all(any(t in m["Subject"] for t in titles) for m in sent)


def test_a_refusing_server_loses_nothing_and_sends_nothing_twice(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    state = empty_state(tmp_path)
    count = expected_count(town_copy)
    recorder.refuse_after = 3
    refused = run_mail(town_copy, controller.port, state)
    assert refused.returncode != 0
    assert "3" in refused.stdout and "次回" in refused.stderr
    recorded = json.loads(state.read_text("utf-8"))["lists"]
    assert sum(len(notices) for notices in recorded.values()) == 3
    recorder.refuse_after = None
    again = run_mail(town_copy, controller.port, state)
    assert again.returncode == 0, again.stderr
    assert len(recorder.messages) == count
    assert len({m["Message-ID"] for m in recorder.messages}) == count


def test_an_unreachable_server_records_nothing(town_copy, run_mail, tmp_path):
    state = empty_state(tmp_path)
    result = run_mail(town_copy, free_port(), state)
    assert result.returncode != 0
    assert json.loads(state.read_text("utf-8")) == {"lists": {}}


def set_front_matter(path: Path, **values: str) -> None:
    text = path.read_text("utf-8")
    for key, value in values.items():
        text = re.sub(rf"^{key}: .*\n", "", text, flags=re.M)
        text = text.replace("\n---\n", f"\n{key}: {value}\n---\n", 1)
    path.write_text(text, encoding="utf-8")


def test_minor_change_sends_nothing_and_major_update_sends_once(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    state = empty_state(tmp_path)
    assert run_mail(town_copy, controller.port, state).returncode == 0
    sent = len(recorder.messages)
    notice = town_copy / "docs" / "ja" / "notices" / "2026" / "11-15-recycling-calendar.md"
    set_front_matter(notice, updated="2026-11-27 10:00", change="minor")
    assert run_mail(town_copy, controller.port, state).returncode == 0
    assert len(recorder.messages) == sent
    set_front_matter(notice, updated="2026-11-27 11:00", change="major")
    assert run_mail(town_copy, controller.port, state).returncode == 0
    assert len(recorder.messages) == sent + 1
    assert recorder.messages[-1]["Subject"].startswith(ui_strings("ja")["mail.updated_prefix"])
    assert run_mail(town_copy, controller.port, state).returncode == 0
    assert len(recorder.messages) == sent + 1


def test_dry_run_sends_nothing(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    state = empty_state(tmp_path)
    result = run_mail(town_copy, controller.port, state, "--dry-run")
    assert result.returncode == 0
    assert recorder.messages == []
    lines = result.stdout.splitlines()
    assert len(lines) == expected_count(town_copy) + 1  # one per message, and a count
    assert ui_strings("ja")["mail.emergency_prefix"] in lines[0]
    assert json.loads(state.read_text("utf-8")) == {"lists": {}}


# -- State that cannot flood: no state file, --init, --since, a damaged file -------------------

def write_notice(project: Path, name: str, body: str, title: str = "臨時の窓口を開きます",
                 date: str = "2026-11-28 09:00") -> Path:
    path = project / "docs" / "ja" / "notices" / "2026" / name
    path.write_text(f"---\ntitle: {title}\ndate: {date}\ncategory: procedures\n"
                    f"summary: 土曜日に臨時の窓口を開きます。\n---\n\n{body}\n", encoding="utf-8")
    return path


def test_without_a_state_file_nothing_is_sent_and_the_advice_is_given(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    state = tmp_path / "ci-cache" / "state.json"
    for args in ((), ("--dry-run",)):
        result = run_mail(town_copy, controller.port, state, *args)
        assert result.returncode != 0
        assert f"{state}:1: mail state:" in result.stderr
        assert "koho mail --init" in result.stderr and "nothing was sent" in result.stderr
    assert recorder.messages == []
    assert not state.exists()


def test_init_sends_nothing_and_then_a_new_notice_goes_out_once(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    state = tmp_path / "state.json"
    init = run_mail(town_copy, controller.port, state, "--init")
    assert init.returncode == 0, init.stderr
    assert recorder.messages == []
    recorded = json.loads(state.read_text("utf-8"))["lists"]
    assert sum(len(sent) for sent in recorded.values()) == expected_count(town_copy)
    assert run_mail(town_copy, controller.port, state).returncode == 0
    assert recorder.messages == []  # the archive is never mailed
    write_notice(town_copy, "11-28-extra-counter.md", "土曜日の9時から12時まで開きます。")
    assert run_mail(town_copy, controller.port, state).returncode == 0
    assert [m["Subject"] for m in recorder.messages] == ["臨時の窓口を開きます"]
    assert run_mail(town_copy, controller.port, state).returncode == 0
    assert len(recorder.messages) == 1
    before = state.read_bytes()
    again = run_mail(town_copy, controller.port, state, "--init")  # never overwrites a state
    assert again.returncode != 0 and "--init" in again.stderr
    assert state.read_bytes() == before and len(recorder.messages) == 1


def test_init_since_leaves_the_notices_from_that_day_to_send(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    state = tmp_path / "state.json"
    since = "2026-11-20"
    assert run_mail(town_copy, controller.port, state, "--init", "--since", since).returncode == 0
    found, now = project_notices(town_copy)
    later = {n.title for n in found if n.is_active(now) and n.version.date().isoformat() >= since}
    assert later and len(later) < expected_count(town_copy)
    assert run_mail(town_copy, controller.port, state).returncode == 0
    assert {re.sub(r"^【.*?】|^\[.*?\] ", "", m["Subject"]) for m in recorder.messages} == later


def test_since_guard_never_sends_older_notices(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    result = run_mail(town_copy, controller.port, empty_state(tmp_path), "--since", "2099-01-01")
    assert result.returncode == 0 and recorder.messages == []
    wrong = run_mail(town_copy, controller.port, empty_state(tmp_path), "--since", "yesterday")
    assert wrong.returncode != 0 and "2026-11-27" in wrong.stderr


@pytest.mark.parametrize(("content", "words"), [
    (b'{"lists": {"ja": {"notices/2026/x": "2026-11-01T09:00:00+09:00"}', "damaged"),  # cut short
    (b"[]", "damaged"),
    (b'{"lists": {"ja": {"notices/2026/x": "last tuesday"}}}', "last tuesday"),
    (b'{"lists": {"ja": ["notices/2026/x"]}}', "damaged"),
    (b"\xff\xfe{\x00", "cannot be read"),
    (None, "cannot be read"),  # a folder where the file should be
])
def test_a_damaged_state_file_is_named_and_nothing_is_sent(town_copy, smtp, run_mail, tmp_path,
                                                            content, words):
    controller, recorder = smtp
    state = tmp_path / "state.json"
    if content is None:
        state.mkdir()
    else:
        state.write_bytes(content)
    result = run_mail(town_copy, controller.port, state)
    assert result.returncode != 0
    assert f"{state}:" in result.stderr and words in result.stderr and "nothing was sent" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert recorder.messages == []
    assert content is None or state.read_bytes() == content


def test_state_is_replaced_atomically_and_leaves_no_temporary_file(town_copy, smtp, run_mail, tmp_path):
    controller, _ = smtp
    state = tmp_path / "cache" / "state.json"
    assert run_mail(town_copy, controller.port, state, "--init").returncode == 0
    assert [p.name for p in state.parent.iterdir()] == ["state.json"]
    json.loads(state.read_text("utf-8"))


# -- What a message carries -----------------------------------------------------------------------

def test_every_message_carries_the_headers_the_readme_promises(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    assert run_mail(town_copy, controller.port, empty_state(tmp_path)).returncode == 0
    assert len(recorder.messages) == expected_count(town_copy)
    for message in recorder.messages:
        tag = {"notices-ja@lists.town.koho.example": "ja", "notices-en@lists.town.koho.example": "en"}[
            message["To"]]
        assert message["Content-Language"] == tag
        text, html = message.get_body(("plain",)), message.get_body(("html",))
        assert text["Content-Language"] == tag and html["Content-Language"] == tag
        assert message["From"] == "見本町お知らせ <noreply@town.koho.example>"
        assert message["Subject"] and message["Message-ID"] and message["Date"]
        assert message["List-Unsubscribe"] == "<https://town.koho.example/subscribe/>"
        assert f'<html lang="{tag}">' in html.get_content()
        # In the language of its list: the footer and the prefixes are that language's.
        footer = ui_strings(tag)["mail.footer"]
        assert footer in text.get_content() and footer in html.get_content()
        if message["Subject"].startswith(emergency_prefixes()):
            assert message["Subject"].startswith(ui_strings(tag)["mail.emergency_prefix"])


def test_the_body_uses_the_site_markdown_and_the_text_part_reads_plainly(town_copy, smtp, run_mail,
                                                                          tmp_path):
    controller, recorder = smtp
    state = tmp_path / "state.json"
    assert run_mail(town_copy, controller.port, state, "--init").returncode == 0
    body = ("!!! note \"持ち物\"\n\n    **本人確認書類**を持ってきてください。\n\n"
            "詳しくは[県の窓口の案内](https://pref.example/counter/)をご覧ください。\n\n"
            "| 曜日 | 時間 |\n| --- | --- |\n| 土曜日 | 9時から12時 |\n\n"
            "1. 受付で番号札を取ります\n2. 呼ばれたら窓口へ行きます\n")
    write_notice(town_copy, "11-28-extra-counter.md", body)
    assert run_mail(town_copy, controller.port, state).returncode == 0
    (message,) = recorder.messages
    html = message.get_body(("html",)).get_content()
    assert '<div class="admonition note">' in html and "<table>" in html
    assert "<strong>本人確認書類</strong>" in html
    text = message.get_body(("plain",)).get_content()
    for syntax in ("!!!", "**", "](", "| ---", "<strong>", "<p>"):
        assert syntax not in text
    assert "持ち物\n\n本人確認書類を持ってきてください。" in text
    assert "県の窓口の案内 (https://pref.example/counter/)をご覧ください。" in text
    assert "土曜日 | 9時から12時" in text
    assert "1. 受付で番号札を取ります\n2. 呼ばれたら窓口へ行きます" in text


def test_links_to_other_pages_lead_to_their_built_address(town_copy, smtp, run_mail, tmp_path):
    """Editors link pages by their file (`../../about.md`); subscribers get the page's URL."""
    controller, recorder = smtp
    state = tmp_path / "state.json"
    assert run_mail(town_copy, controller.port, state, "--init").returncode == 0
    body = ("[町役場](../../about.md#town-office)、[お知らせの一覧](../index.md)、"
            "[図書館](11-01-library-hours.md)をご覧ください。\n")
    write_notice(town_copy, "11-28-links.md", body)
    assert run_mail(town_copy, controller.port, state).returncode == 0
    (message,) = recorder.messages
    html = message.get_body(("html",)).get_content()
    site = "https://town.koho.example/"
    for url in (f"{site}about/#town-office", f"{site}notices/", f"{site}notices/2026/11-01-library-hours/"):
        assert f'href="{url}"' in html, html
    assert ".md" not in html
    text = message.get_body(("plain",)).get_content()
    assert f"町役場 ({site}about/#town-office)" in text
