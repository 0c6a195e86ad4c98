"""Whole rounds through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.engine import commands as cmd
from bot.engine.messages import message_from_json
from bot.service import RoundService
from bot.service.rounds import MAX_ROUNDS_PER_CHANNEL
from protocols.loader import Library
from tests.fakes.clock import ManualClock
from tests.service.conftest import ANN, BOB, CAS, DEE, PLACE, accepted, play_through, start


def _outbox_texts(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        rows = session.scalars(select(storage.OutboxMessage).order_by(storage.OutboxMessage.id))
        return [message_from_json(r.payload).text for r in rows]


def _summary(sessions: sessionmaker[Session]) -> str:
    return next(t for t in _outbox_texts(sessions) if t.startswith("Samenvatting: "))


@pytest.mark.parametrize("protocol", ["incident", "gossip", "peer_observation"])
def test_a_whole_round_is_played_to_its_summary(
    service: RoundService,
    clock: ManualClock,
    session_factory: sessionmaker[Session],
    protocol: str,
) -> None:
    mode = "async" if protocol == "peer_observation" else "live"
    round_id = start(service, protocol, BOB, CAS, DEE, mode=mode)
    if protocol == "peer_observation":
        state = service.round(round_id)
        assert state is not None
        for role in state.protocol.roles:
            if role.assign == "volunteer" and not state.holders(role.id):
                accepted(service.handle(round_id, cmd.Volunteer(user="bob", role=role.id)))
    accepted(service.handle(round_id, cmd.Advance(user="ann")))
    play_through(service, round_id, clock)
    summary = _summary(session_factory)
    title = {"incident": "Incidentmethode", "gossip": "Roddelmethode"}.get(protocol, "")
    assert summary.startswith(f"Samenvatting: {title}")
    if protocol != "peer_observation":
        assert "Gekozen casus (" in summary
        assert "Antwoord: " in summary and "niet beantwoord" not in summary
    assert "Ik voer deze week het gesprek" in summary or protocol != "peer_observation"


def test_a_command_delivered_twice_appends_and_queues_nothing_the_second_time(
    service: RoundService, session_factory: sessionmaker[Session]
) -> None:
    round_id = start(service, "incident")
    first = service.handle(round_id, cmd.Join(user="bob", name="Bob"), key="slack:evt-1")
    with session_factory() as session:
        events = session.scalar(select(func.count()).select_from(storage.RoundEvent))
        queued = session.scalar(select(func.count()).select_from(storage.OutboxMessage))
    again = service.handle(round_id, cmd.Join(user="bob", name="Bob"), key="slack:evt-1")
    assert first.accepted and again.accepted and again.replayed
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(storage.RoundEvent)) == events
        assert session.scalar(select(func.count()).select_from(storage.OutboxMessage)) == queued


def test_a_refused_command_delivered_twice_gets_the_same_answer(service: RoundService) -> None:
    round_id = start(service, "incident")
    first = service.handle(round_id, cmd.Advance(user="bob"), key="k-2")
    again = service.handle(round_id, cmd.Advance(user="bob"), key="k-2")
    assert first.error_code == again.error_code == "only_facilitator"
    assert again.replayed and again.reply("nl") == first.reply("nl")


def test_a_delivery_handled_before_is_answered_as_then_though_it_would_now_do_more(
    service: RoundService,
) -> None:
    # The key is found when it is recorded, after the work: the work of a repeat is
    # undone, whatever it would have done this time.
    round_id = start(service, "incident", BOB)
    first = accepted(service.handle(round_id, cmd.Advance(user="ann"), key="k-next"))
    moved = service.round(round_id)
    again = service.handle(round_id, cmd.Advance(user="ann"), key="k-next")
    assert again.accepted and again.replayed and not first.replayed
    assert service.round(round_id) == moved, "the round moved one step, not two"


def test_a_refused_delivery_stays_refused_when_it_comes_again_and_would_now_pass(
    service: RoundService,
) -> None:
    round_id = start(service, "incident", BOB)
    first = service.handle(round_id, cmd.Advance(user="bob"), key="k-bob")
    assert first.error_code == "only_facilitator"
    accepted(service.handle(round_id, cmd.HandOver(user="ann", to="bob")))
    before = service.round(round_id)
    again = service.handle(round_id, cmd.Advance(user="bob"), key="k-bob")
    assert (again.accepted, again.replayed, again.error_code) == (False, True, "only_facilitator")
    assert service.round(round_id) == before


def test_a_new_service_on_the_same_database_continues_where_the_round_was(
    session_factory: sessionmaker[Session], library: Library, clock: ManualClock
) -> None:
    first = RoundService(session_factory, library, clock)
    round_id = start(first, "incident", BOB, CAS)
    accepted(first.handle(round_id, cmd.Advance(user="ann")))
    accepted(first.handle(round_id, cmd.Advance(user="ann")))
    before = first.round(round_id)

    restarted = RoundService(session_factory, library, clock)
    after = restarted.round(round_id)
    assert after == before
    assert after is not None and after.step is not None and after.step.id == "propose"
    accepted(restarted.handle(round_id, cmd.Contribute(user="bob", text="Een incident")))
    assert restarted.active_round(PLACE) is not None


def test_one_live_round_at_a_time_per_channel(service: RoundService) -> None:
    start(service, "incident")
    outcome = service.start(PLACE, BOB, "gossip")
    assert outcome.error_code == "round_running"
    assert outcome.reply("nl") == (
        "Hier loopt al een live ronde (Incidentmethode); twee live rondes tegelijk gaat niet. "
        "Maak die eerst af, stop hem met `/dialoog stop`, of start deze ronde verspreid over "
        "dagen (`async`)."
    )


def test_a_live_round_may_run_while_an_async_one_runs(
    service: RoundService, clock: ManualClock
) -> None:
    spread = service.start(PLACE, BOB, "gossip", mode="async")
    assert spread.accepted
    clock.advance(hours=2)
    live = service.start(PLACE, ANN, "incident")
    assert live.accepted
    assert [r.round_id for r in service.active_rounds(PLACE)] == [spread.round_id, live.round_id]
    assert service.start(PLACE, BOB, "balint", mode="async").accepted


def test_a_channel_holds_a_few_rounds_at_once_not_any_number(service: RoundService) -> None:
    for _ in range(MAX_ROUNDS_PER_CHANNEL):
        assert service.start(PLACE, BOB, "gossip", mode="async").accepted
    outcome = service.start(PLACE, BOB, "gossip", mode="async")
    assert outcome.error_code == "too_many_rounds"
    assert str(MAX_ROUNDS_PER_CHANNEL) in (outcome.reply("en") or "")


def test_an_unknown_protocol_lists_the_ones_there_are(service: RoundService) -> None:
    outcome = service.start(PLACE, ANN, "incidnet")
    assert outcome.error_code == "unknown_protocol"
    reply = outcome.reply("en")
    assert reply is not None and "Incident method" in reply and "Gossip method" in reply
    dutch = outcome.reply("nl")
    assert dutch is not None and "Incidentmethode" in dutch and "Roddelmethode" in dutch
    assert "gossip" not in dutch and "five_step" not in dutch, "titles, never ids"


def test_a_dutch_alias_starts_the_protocol(service: RoundService) -> None:
    round_id = start(service, "roddelmethode")
    state = service.round(round_id)
    assert state is not None and state.protocol.id == "gossip"


def test_a_live_only_choice_is_refused_for_a_protocol_that_runs_over_weeks(
    service: RoundService,
) -> None:
    outcome = service.start(PLACE, ANN, "lesson_study", mode="live")
    assert outcome.error_code == "mode_not_offered"
    assert outcome.reply("nl") == "Dit protocol kan niet live. Start het zonder die keuze."


def test_agreed_actions_come_back_in_the_next_round_and_are_reported_on(
    service: RoundService, clock: ManualClock, session_factory: sessionmaker[Session]
) -> None:
    first = start(service, "five_step", BOB, CAS)
    accepted(service.handle(first, cmd.Advance(user="ann")))
    play_through(service, first, clock)
    with session_factory() as session:
        team = storage.teams.find_team(session, "web", "local", "team-a")
        assert team is not None
        open_before = storage.open_actions(session, team.id)
    assert open_before, "the five-step round agreed an action"
    action = open_before[0]

    second = start(service, "action_checkin", BOB, CAS)
    state = service.round(second)
    assert state is not None
    assert [a.action_id for a in state.open_actions] == [a.id for a in open_before]
    accepted(
        service.handle(
            second,
            cmd.ReportAction(
                user=action.owner_user_id, action_id=action.id, status="done", note="Gelukt"
            ),
        )
    )
    with session_factory() as session:
        reported = storage.get_action(session, action.id)
        assert reported is not None and (reported.status, reported.report) == ("done", "Gelukt")


def test_the_sweep_closes_an_async_step_past_its_deadline(
    service: RoundService, clock: ManualClock
) -> None:
    round_id = start(service, "incident", BOB, mode="async")
    accepted(service.handle(round_id, cmd.Advance(user="ann")))
    state = service.round(round_id)
    assert state is not None and state.step is not None
    first_step = state.step.id
    assert service.sweep() == 0
    clock.advance(hours=13)
    assert service.sweep() == 1
    state = service.round(round_id)
    assert state is not None and state.step is not None and state.step.id != first_step
    assert service.sweep() == 0, "nothing is due twice"


def test_contributions_never_reach_the_log(
    service: RoundService, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    round_id = start(service, "incident", BOB, CAS, DEE)
    accepted(service.handle(round_id, cmd.Advance(user="ann")))
    service.handle(round_id, cmd.Contribute(user="bob", text="GEHEIM-1 over Jan uit 3B"))
    service.handle(round_id, cmd.Contribute(user="zed", text="GEHEIM-2 van een buitenstaander"))
    play_through(service, round_id, clock)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "GEHEIM" not in logged
    assert "Wat gebeurde er vlak daarvoor in de les" not in logged


def test_the_sweep_reminds_privately_only_those_who_have_not_contributed(
    service: RoundService, clock: ManualClock, session_factory: sessionmaker[Session]
) -> None:
    round_id = start(service, "incident", BOB, CAS, mode="async")
    accepted(service.handle(round_id, cmd.Advance(user="ann")))  # the ground rules: all read
    accepted(service.handle(round_id, cmd.Acknowledge(user="ann")))
    clock.advance(hours=5)  # past half of the 8 hours for the ground rules
    assert service.sweep() == 1
    with session_factory() as session:
        rows = session.scalars(
            select(storage.OutboxMessage).where(storage.OutboxMessage.round_id == round_id)
        ).all()
    reminders = [
        (r.destination.get("user"), message_from_json(r.payload).text)
        for r in rows
        if message_from_json(r.payload).text.startswith("Herinnering")
    ]
    assert sorted(user for user, _ in reminders) == ["bob", "cas"]


def test_two_servers_taking_turns_on_one_round_both_see_every_event(
    session_factory: sessionmaker[Session], library: Library, clock: ManualClock
) -> None:
    one = RoundService(session_factory, library, clock)
    two = RoundService(session_factory, library, clock)
    round_id = start(one, "incident", BOB, CAS)
    accepted(two.handle(round_id, cmd.Advance(user="ann")))  # two folds the log once
    accepted(one.handle(round_id, cmd.Acknowledge(user="bob")))  # one moved on meanwhile
    accepted(two.handle(round_id, cmd.Acknowledge(user="cas")))  # two must see bob's too
    state = two.round(round_id)
    assert state is not None and state.acks["rules"] == {"bob", "cas"}
    assert one.round(round_id) == state
