"""`/dialoog bewaren` and `/dialoog terugnemen`: a facilitator sees and changes the
team's retention within the school's bounds, and each change is audited."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.chat import Chat
from bot.service import Person, Place, RoundService
from storage.audit import AUDIT_RETENTION_CHANGE, list_audit
from storage.models import Team
from tests.privacy.conftest import POLICY

PLACE = Place("web", "local", "team-a")
ANN, BOB = Person("web:ann", "Ann"), Person("web:bob", "Bob")


@pytest.fixture
def chat(service: RoundService) -> Chat:
    return Chat(service)


def _text(reply: object) -> str:
    return " ".join(m.text for m in reply.messages)  # type: ignore[attr-defined]


def test_bewaren_shows_the_period_the_bounds_and_take_back(chat: Chat) -> None:
    shown = _text(chat.command(PLACE, ANN, "bewaren"))
    assert f"*{POLICY.default_days} dagen*" in shown
    assert "de standaard van de school" in shown
    assert f"tussen {POLICY.min_days} en {POLICY.max_days} dagen" in shown
    assert "haalt de bot ook zijn berichten" in shown
    chat.command(PLACE, ANN, "taal en")
    assert f"for *{POLICY.default_days} days*" in _text(chat.command(PLACE, ANN, "retention"))


def test_a_facilitator_changes_the_period_within_the_bounds_and_it_is_audited(
    chat: Chat, session_factory: sessionmaker[Session]
) -> None:
    assert chat.command(PLACE, ANN, "start incident").accepted
    assert chat.command(PLACE, ANN, "stop").accepted

    reply = chat.command(PLACE, ANN, "bewaren 14")
    assert reply.accepted and "nu 14 dagen" in _text(reply)
    assert "*14 dagen*" in _text(chat.command(PLACE, ANN, "bewaren"))
    assert "door jullie gekozen" in _text(chat.command(PLACE, ANN, "bewaren"))

    too_long = chat.command(PLACE, ANN, f"bewaren {POLICY.max_days + 1}")
    assert not too_long.accepted and too_long.error_code == "retention_out_of_bounds"
    assert f"tussen {POLICY.min_days} en {POLICY.max_days}" in _text(too_long)
    assert not chat.command(PLACE, ANN, "bewaren lang").accepted

    back = chat.command(PLACE, ANN, "bewaren standaard")
    assert back.accepted and f"{POLICY.default_days} dagen" in _text(back)
    with session_factory() as session:
        entries = list_audit(session, action=AUDIT_RETENTION_CHANGE)
        assert [(e.actor, e.detail["from"], e.detail["to"]) for e in entries] == [
            ("web:local:web:ann", "default", 14),
            ("web:local:web:ann", 14, "default"),
        ]
        assert entries[0].detail["rounds_moved"] == 1


def test_someone_who_never_led_a_round_here_cannot_change_it(
    chat: Chat, session_factory: sessionmaker[Session]
) -> None:
    assert chat.command(PLACE, ANN, "start incident").accepted
    reply = chat.command(PLACE, BOB, "bewaren 7")
    assert not reply.accepted and reply.error_code == "privacy_not_allowed"
    assert "gespreksleider" in _text(reply)
    refused = chat.command(PLACE, BOB, "terugnemen uit")
    assert refused.error_code == "privacy_not_allowed"
    with session_factory() as session:
        team = session.query(Team).one()
        assert (team.retention_days, team.take_back) == (None, True)
        assert list_audit(session) == []


def test_terugnemen_turns_taking_back_off_and_on(
    chat: Chat, session_factory: sessionmaker[Session]
) -> None:
    off = chat.command(PLACE, ANN, "terugnemen uit")
    assert off.accepted and "laat zijn berichten" in _text(off)
    assert "De bot laat zijn berichten over die ronde staan" in _text(
        chat.command(PLACE, ANN, "bewaren")
    )
    assert chat.command(PLACE, ANN, "terugnemen aan").accepted
    assert chat.command(PLACE, ANN, "terugnemen misschien").error_code == "take_back_unknown"
    with session_factory() as session:
        assert session.query(Team).one().take_back is True
        details = [e.detail for e in list_audit(session, action=AUDIT_RETENTION_CHANGE)]
        assert details == [{"take_back": "off"}, {"take_back": "on"}]
