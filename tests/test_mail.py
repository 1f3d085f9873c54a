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


def expected_count(project: Path) -> int:
    found, now = project_notices(project)
    return sum(1 for notice in found if notice.is_active(now))


def emergency_prefixes() -> tuple[str, ...]:
    return tuple(ui_strings(locale)["mail.emergency_prefix"] for locale in ("ja", "en"))


def test_new_notices_are_sent_once(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    state = tmp_path / "state.json"
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
    assert run_mail(town_copy, controller.port, tmp_path / "state.json").returncode == 0
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
    assert run_mail(town_copy, controller.port, tmp_path / "state.json").returncode == 0
    found, now = project_notices(town_copy)
    for locale in ("ja", "en"):
        sent = [m for m in recorder.messages if m["To"] == f"notices-{locale}@lists.town.koho.example"]
        titles = {n.title for n in found if n.locale == locale and n.is_active(now)}
        assert len(sent) == len(titles) and all(any(t in m["Subject"] for t in titles) for m in sent)


def test_a_refusing_server_loses_nothing_and_sends_nothing_twice(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    state = tmp_path / "state.json"
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
    state = tmp_path / "state.json"
    result = run_mail(town_copy, free_port(), state)
    assert result.returncode != 0
    assert not state.exists()


def set_front_matter(path: Path, **values: str) -> None:
    text = path.read_text("utf-8")
    for key, value in values.items():
        text = re.sub(rf"^{key}: .*\n", "", text, flags=re.M)
        text = text.replace("\n---\n", f"\n{key}: {value}\n---\n", 1)
    path.write_text(text, encoding="utf-8")


def test_minor_change_sends_nothing_and_major_update_sends_once(town_copy, smtp, run_mail, tmp_path):
    controller, recorder = smtp
    state = tmp_path / "state.json"
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
    result = run_mail(town_copy, controller.port, tmp_path / "state.json", "--dry-run")
    assert result.returncode == 0
    assert recorder.messages == []
    lines = result.stdout.splitlines()
    assert len(lines) == expected_count(town_copy) + 1  # one per message, and a count
    assert ui_strings("ja")["mail.emergency_prefix"] in lines[0]
    assert not (tmp_path / "state.json").exists()
