"""A team says its sector once; every round it starts speaks that sector's words."""

from __future__ import annotations

import pytest

from bot.chat import Chat
from bot.service import Person, Place, RoundService

PLACE = Place("web", "local", "team-sector")
ANN = Person("ann", "Ann")


@pytest.fixture
def chat(service: RoundService) -> Chat:
    return Chat(service)


def _text(reply: object) -> str:
    return " ".join(m.text for m in reply.messages)  # type: ignore[attr-defined]


def _ground_rules(chat: Chat, protocol: str) -> str:
    reply = chat.command(PLACE, ANN, f"start {protocol} async")
    assert reply.accepted, _text(reply)
    info = chat.service.active_round(PLACE)
    assert info is not None
    rules = " ".join(rule.nl for rule in info.state.protocol.ground_rules)
    roles = " ".join(role.name.nl for role in info.state.protocol.roles)
    assert chat.command(PLACE, ANN, "stop").accepted
    return f"{roles} | {rules}"


def test_a_primary_school_hears_leerkracht_and_groep(chat: Chat) -> None:
    reply = chat.command(PLACE, ANN, "sector po")
    assert reply.accepted
    assert "leerkracht" in _text(reply) and "groep 6" in _text(reply)
    said = _ground_rules(chat, "peer_observation")
    assert "Leerkracht" in said and "Docent" not in said


def test_a_secondary_school_hears_docent_and_klas(chat: Chat) -> None:
    chat.command(PLACE, ANN, "sector vo")
    said = _ground_rules(chat, "peer_observation")
    assert "Docent" in said and "Leerkracht" not in said
    assert "{" not in said


def test_an_mbo_college_hears_studenten(chat: Chat) -> None:
    chat.command(PLACE, ANN, "sector mbo")
    assert "studenten" in _ground_rules(chat, "incident")


def test_a_team_without_a_sector_hears_the_neutral_words(chat: Chat) -> None:
    said = _ground_rules(chat, "peer_observation")
    assert "Leraar" in said and "{" not in said


def test_the_sector_command_says_what_would_work(chat: Chat) -> None:
    reply = chat.command(PLACE, ANN, "sector basisschool")
    assert not reply.accepted
    assert "`/dialoog sector po`" in _text(reply)
    assert "Nog niet gekozen" in _text(chat.command(PLACE, ANN, "sector"))
    chat.command(PLACE, ANN, "sector vo")
    assert "vo" in _text(chat.command(PLACE, ANN, "sector"))


def test_the_sector_changes_during_a_round_whose_words_stay(chat: Chat) -> None:
    started = chat.command(PLACE, ANN, "start incident")
    assert started.accepted and started.round_id
    before = chat.service.round(started.round_id)
    assert "Rondes die al lopen, houden hun woorden" in _text(chat.command(PLACE, ANN, "sector po"))
    after = chat.service.round(started.round_id)
    assert before is not None and after is not None
    assert after.protocol == before.protocol, "the running round keeps its words"
