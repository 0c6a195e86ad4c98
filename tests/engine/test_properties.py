"""Random command sequences against a round: the invariants always hold."""

from __future__ import annotations

import copy
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import DomainError, card, decide, evolve, fold, notices
from bot.engine import commands as cmd
from bot.engine.events import ParticipantJoined, ParticipantLeft
from bot.engine.messages import ItemList
from bot.engine.simulate import fill_in
from bot.engine.state import RoundState
from protocols.loader import load_library
from tests.engine.conftest import T0, protocol, step, text

USERS = st.sampled_from(["ann", "bob", "cas", "dee", "zed"])
ITEMS = st.lists(st.sampled_from([f"i{n}" for n in range(1, 9)]), min_size=0, max_size=3)
ITEMS_ONE = st.sampled_from([f"i{n}" for n in range(1, 9)])
TEXTS = st.sampled_from(["Waarom?", "Ik zou bellen.", "", "  ", "Wat zei hij?", "x" * 3001, "Hoe?"])

SECRET_ROUND = protocol(
    step("propose", "collect", max_per_person=1),
    step("choose", "vote", source="propose", assigns_role="case_owner"),
    step("questions", "collect", ["advisor"], visibility="hidden", questions_only=True),
    step("answers", "respond", ["case_owner"], source="questions"),
    step("worries", "collect", ["advisor"], anonymous=True),
    step("notes", "collect", ["advisor"], visibility="case_owner"),
    step("positions", "round_robin", ["advisor"], source="questions"),
    step("advice", "collect", ["advisor"]),
    step("pick", "pick", ["case_owner"], source="advice", min_picks=0),
    step("plan", "actions", ["case_owner"], review_open=True),
    step("look_back", "reflect"),
    roles=[
        {"id": "facilitator", "name": text("Gespreksleider"), "assign": "starter"},
        {"id": "case_owner", "name": text("Inbrenger"), "assign": "vote"},
        {"id": "advisor", "name": text("Adviseur"), "assign": "everyone_else"},
    ],
)
PROTOCOLS = [SECRET_ROUND, load_library()["incident"].model_dump(mode="json")]

ADVANCE = st.builds(cmd.Advance, user=st.sampled_from(["ann", "ann", "ann", "bob"]))
CONTRIBUTE = st.builds(cmd.Contribute, user=USERS, text=TEXTS)
# Advancing and contributing are drawn more often, so rounds get far along.
HAND_OVER = st.builds(
    cmd.AssignRole,
    user=st.just("ann"),
    role=st.just("case_owner"),
    to=st.sampled_from(["bob", "cas"]),
)
# Now and then the simulated colleagues do their part, so rounds get far along
# with the random commands in between.
FILL = "fill"
COMMANDS = st.one_of(
    st.just(FILL),
    st.just(FILL),
    HAND_OVER,
    ADVANCE,
    ADVANCE,
    ADVANCE,
    CONTRIBUTE,
    CONTRIBUTE,
    st.builds(cmd.Join, user=USERS, name=st.just("Iemand")),
    st.builds(cmd.Volunteer, user=USERS, role=st.sampled_from(["case_owner", "timekeeper", "x"])),
    st.builds(cmd.AssignRole, user=USERS, role=st.just("case_owner"), to=USERS),
    st.builds(cmd.Vote, user=USERS, item_ids=ITEMS.filter(bool)),
    st.builds(cmd.Respond, user=USERS, item_id=st.sampled_from(["i1", "i3", "i5"]), text=TEXTS),
    st.builds(cmd.Pick, user=USERS, item_ids=ITEMS),
    st.builds(cmd.Acknowledge, user=USERS),
    st.builds(cmd.NextTurn, user=USERS),
    st.builds(cmd.AddAction, user=USERS, text=TEXTS),
    st.builds(cmd.ReportAction, user=USERS, action_id=st.just("old"), status=st.just("done")),
    st.builds(cmd.Reflect, user=USERS, rating=st.integers(0, 6), text=TEXTS),
    st.builds(cmd.Extend, user=USERS),
    st.builds(cmd.Pause, user=st.sampled_from(["bob"] * 3 + ["ann"])),
    st.builds(cmd.Resume, user=st.just("ann")),
    st.builds(cmd.Tick),
    # Lines in the chat, and people coming and going and taking over.
    st.builds(cmd.Say, user=USERS, text=TEXTS, reply_to=st.sampled_from([None, None, "i1", "i3"])),
    st.builds(cmd.Say, user=USERS, text=TEXTS),
    st.builds(cmd.ReturnQuestion, user=st.sampled_from(["ann", "bob"]), item_id=ITEMS_ONE),
    st.builds(cmd.Leave, user=st.sampled_from(["cas", "dee", "zed"])),
    st.builds(cmd.TakeOver, user=USERS),
    st.builds(cmd.HandOver, user=st.just("ann"), to=USERS),
    # The facilitator stops or pauses a round only now and then, or no round gets far.
    st.builds(cmd.Cancel, user=st.sampled_from(["bob"] * 15 + ["ann"])),
)


def _check_views(before: RoundState, events: list, after: RoundState, now) -> None:  # type: ignore[no-untyped-def]
    messages = [card(after, now), *notices(before, events, after)]
    # Texts only ever written anonymously (the same words may also come signed).
    signed = {i.text for i in after.items if after.shows_author(i)}
    anonymous = {i.text for i in after.items if not after.shows_author(i)} - signed
    hidden_now = {
        i.text
        for i in after.items
        if i.step_id not in after.ended_steps and not after.may_see(i, None)
    }
    for message in messages:
        for block in message.blocks:
            if not isinstance(block, ItemList):
                continue
            for item in block.items:
                if item.text in anonymous:
                    assert item.author in ("anoniem", "anonymous")
                if message.audience is None:
                    assert item.text not in hidden_now or item.text in {
                        i.text for i in after.items if after.may_see(i, None)
                    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.sampled_from([0, 1]),
    mode=st.sampled_from(["live", "async"]),
    commands=st.lists(COMMANDS, min_size=30, max_size=80),
    gaps=st.lists(st.integers(0, 60 * 60 * 30), min_size=80, max_size=80),
)
def test_random_commands_keep_the_round_consistent(
    which: int, mode: str, commands: list[cmd.Command], gaps: list[int]
) -> None:
    from bot.engine.events import OpenAction

    now = T0
    start = cmd.StartRound(
        round_id="r",
        protocol=PROTOCOLS[which],
        mode=mode,  # type: ignore[arg-type]
        user="ann",
        name="Ann",
        open_actions=[
            OpenAction(action_id="old", text="Oud", owner="bob", owner_name="Bob", due=T0.date())
        ],
    )
    log = decide(None, start, now)
    for user in ("bob", "cas", "dee"):
        log += decide(fold(log), cmd.Join(user=user, name=user.title()), now)
    state = fold(log)
    for drawn, gap in zip(commands, gaps, strict=False):
        now += timedelta(seconds=gap)
        batch = fill_in(state) if drawn == FILL else [drawn]
        for command in batch:
            try:
                events = decide(state, command, now)
            except DomainError as error:
                assert error.message("nl") and error.message("en")
                continue
            before = state
            as_it_was = copy.deepcopy(before)
            for event in events:
                state = evolve(state, event)
            assert before == as_it_was, "evolve leaves the state it was given as it was"
            log += events
            _check_views(before, events, state, now)
    assert fold(log) == state, "replaying the log gives the same state"
    assert state.version == len(log)
    ids = [i.id for i in state.items]
    assert len(ids) == len(set(ids)), "no item appears twice"
    present: set[str] = set()
    for e in log:
        if isinstance(e, ParticipantJoined):
            assert e.user not in present, "no one joins twice without leaving in between"
            present.add(e.user)
        elif isinstance(e, ParticipantLeft):
            assert e.user in present, "only who is there leaves"
            present.discard(e.user)
    assert present == set(state.participants)
