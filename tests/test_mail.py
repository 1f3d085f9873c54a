"""koho mail against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
import json
import os
import re
import subprocess
import sys
from email import policy
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from conftest import BUILD_TIME, epoch, free_port
from test_notices import project_notices


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


def run_mail(project: Path, smtp_port: int, state: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KOHO_SMTP_HOST": "127.0.0.1", "KOHO_SMTP_PORT": str(smtp_port),
           "KOHO_MAIL_STATE": str(state), "SOURCE_DATE_EPOCH": epoch(BUILD_TIME)}
    return subprocess.run([sys.executable, "-m", "koho.cli", "mail", *args], cwd=project, env=env,
                          capture_output=True, text=True)


def expected_count(project: Path) -> int:
    found, now = project_notices(project)
    return sum(1 for notice in found if notice.is_active(now))


def test_new_notices_are_sent_once(project_copy, smtp, tmp_path):
    controller, recorder = smtp
    state = tmp_path / "state.json"
    count = expected_count(project_copy)
    assert count >= 12
    first = run_mail(project_copy, controller.port, state)
    assert first.returncode == 0, first.stderr
    assert len(recorder.messages) == count
    second = run_mail(project_copy, controller.port, state)
    assert second.returncode == 0
    assert len(recorder.messages) == count  # nothing re-sent
    ids = {m["Message-ID"] for m in recorder.messages}
    assert len(ids) == count


def test_messages_are_well_formed_and_emergencies_go_first(project_copy, smtp, tmp_path):
    controller, recorder = smtp
    assert run_mail(project_copy, controller.port, tmp_path / "state.json").returncode == 0
    first = recorder.messages[0]
    assert first["Subject"].startswith("【緊急】") or first["Subject"].startswith("[Emergency]")
    emergencies = [i for i, m in enumerate(recorder.messages)
                   if re.match(r"^(【緊急】|\[Emergency\]|【紧急】|【긴급】|【きんきゅう】)", m["Subject"])]
    assert emergencies == list(range(len(emergencies))) and len(emergencies) == 5
    for message in recorder.messages:
        assert re.fullmatch(r"<[0-9a-f]{32}@akiruno\.koho\.example>", message["Message-ID"])
        assert parsedate_to_datetime(message["Date"]).tzinfo is not None
        assert message["List-Unsubscribe"] == "<https://akiruno.koho.example/subscribe/>"
        assert message.get_content_type() == "multipart/alternative"
        kinds = [part.get_content_type() for part in message.iter_parts()]
        assert kinds == ["text/plain", "text/html"]
        html = message.get_body(("html",)).get_content()
        assert "https://akiruno.koho.example/" in html
        assert message["To"].startswith("notices-")


def test_a_refusing_server_loses_nothing_and_sends_nothing_twice(project_copy, smtp, tmp_path):
    controller, recorder = smtp
    state = tmp_path / "state.json"
    count = expected_count(project_copy)
    recorder.refuse_after = 3
    refused = run_mail(project_copy, controller.port, state)
    assert refused.returncode != 0
    assert "3" in refused.stdout and "次回" in refused.stderr
    recorded = json.loads(state.read_text("utf-8"))["lists"]
    assert sum(len(notices) for notices in recorded.values()) == 3
    recorder.refuse_after = None
    again = run_mail(project_copy, controller.port, state)
    assert again.returncode == 0, again.stderr
    assert len(recorder.messages) == count
    assert len({m["Message-ID"] for m in recorder.messages}) == count


def test_an_unreachable_server_records_nothing(project_copy, tmp_path):
    state = tmp_path / "state.json"
    result = run_mail(project_copy, free_port(), state)
    assert result.returncode != 0
    assert not state.exists()


def set_front_matter(path: Path, **values: str) -> None:
    text = path.read_text("utf-8")
    for key, value in values.items():
        text = re.sub(rf"^{key}: .*\n", "", text, flags=re.M)
        text = text.replace("\n---\n", f"\n{key}: {value}\n---\n", 1)
    path.write_text(text, encoding="utf-8")


def test_minor_change_sends_nothing_and_major_update_sends_once(project_copy, smtp, tmp_path):
    controller, recorder = smtp
    state = tmp_path / "state.json"
    assert run_mail(project_copy, controller.port, state).returncode == 0
    sent = len(recorder.messages)
    notice = project_copy / "docs" / "ja" / "notices" / "2026" / "10-05-open-data.md"
    set_front_matter(notice, updated="2026-11-27 10:00", change="minor")
    assert run_mail(project_copy, controller.port, state).returncode == 0
    assert len(recorder.messages) == sent
    set_front_matter(notice, updated="2026-11-27 11:00", change="major")
    assert run_mail(project_copy, controller.port, state).returncode == 0
    assert len(recorder.messages) == sent + 1
    assert recorder.messages[-1]["Subject"].startswith("【更新】")
    assert run_mail(project_copy, controller.port, state).returncode == 0
    assert len(recorder.messages) == sent + 1


def test_dry_run_sends_nothing(project_copy, smtp, tmp_path):
    controller, recorder = smtp
    result = run_mail(project_copy, controller.port, tmp_path / "state.json", "--dry-run")
    assert result.returncode == 0
    assert recorder.messages == []
    assert "【緊急】" in result.stdout.splitlines()[0]
    assert not (tmp_path / "state.json").exists()
