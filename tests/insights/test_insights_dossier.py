"""`/dialoog mijn dossier`: a person's own record, sent to them alone, holding
their texts and never anyone else's."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.chat import Chat
from bot.engine.messages import File, Message, message_from_json
from bot.engine.state import RoundState
from bot.service import Place, RoundService
from protocols.schema import CASE_OWNER
from tests.fakes.clock import ManualClock
from tests.history import ANN, BOB, seed

PLACE = Place("web", "local", "team-a", "Team A")


def _outbox_for(sessions: sessionmaker[Session], user: str) -> list[Message]:
    with sessions() as session:
        rows = session.scalars(select(storage.OutboxMessage).order_by(storage.OutboxMessage.id))
        return [
            message_from_json(r.payload)
            for r in rows
            if r.destination == {"user": user} and r.round_id is None
        ]


def _finished(service: RoundService, ids: list[str]) -> list[RoundState]:
    states = [service.round(i) for i in ids]
    return [s for s in states if s is not None and s.status == "finished"]


def test_the_dossier_holds_the_persons_own_texts_and_no_one_elses(
    service: RoundService, clock: ManualClock, session_factory: sessionmaker[Session]
) -> None:
    ids = seed(service, clock, PLACE)
    reply = Chat(service).command(PLACE, BOB, "mijn dossier")
    assert reply.accepted
    assert "privéberichten" in reply.messages[0].text
    (sent,) = _outbox_for(session_factory, BOB.user_id)
    (document,) = [b for b in sent.blocks if isinstance(b, File)]
    assert document.name == "mijn-rondes.md" and document.media_type == "text/markdown"
    text = document.content().decode("utf-8")
    assert text == sent.text

    rounds = _finished(service, ids)
    bobs = [s for s in rounds if BOB.user_id in s.participants]
    # Every finished round Bob took part in (June, September, October, November).
    assert text.count("\n## ") == len(bobs) == 4
    assert "Bob neemt mee: rustig blijven." in text
    assert "Bob plant een lesbezoek. (" in text and "**deels**" in text
    assert "Bob probeert de stilteregel." in text and "**nog niet**" in text
    assert "Geleerd van: theorie" in text
    # Never someone else's words: Ann's takeaway and action, the others' contributions.
    assert "Ann neemt mee" not in text
    assert "Ann belt de ouders" not in text
    assert "Dee leest het artikel" not in text
    own = {i.text for s in bobs for i in s.items if i.author == BOB.user_id}
    others = {i.text for s in bobs for i in s.items if i.author != BOB.user_id} - own
    assert others, "the others wrote something in Bob's rounds"
    for written in others:
        assert written not in text, written
    # A case shows only in its owner's record: Ann brought every case, Bob none.
    assert all(BOB.user_id not in s.holders(CASE_OWNER) for s in bobs)
    assert "Mijn casus" not in text
    Chat(service).command(PLACE, ANN, "mijn dossier")
    (anns,) = _outbox_for(session_factory, ANN.user_id)
    cases = [s.item(w) for s in rounds for w, _tally in s.vote_results.values() if w]
    assert cases and all(c is not None and c.author == ANN.user_id for c in cases)
    assert anns.text.count("### Mijn casus") == len(rounds)
    assert all(c is not None and f"> {c.text}" in anns.text for c in cases)


def test_the_dossier_of_someone_without_rounds_says_so(
    service: RoundService, session_factory: sessionmaker[Session]
) -> None:
    Chat(service).command(PLACE, ANN, "my record")
    (sent,) = _outbox_for(session_factory, ANN.user_id)
    assert "Je hebt nog geen afgeronde rondes." in sent.text
