"""Each step kind does what PROTOCOLS.md describes."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.engine import commands as cmd
from bot.engine import events as ev
from tests.engine.conftest import Play, protocol, step, text

CASE_VOTE_ROLES = [
    {"id": "facilitator", "name": text("Gespreksleider"), "assign": "starter"},
    {"id": "case_owner", "name": text("Inbrenger", "Case owner"), "assign": "vote"},
    {"id": "advisor", "name": text("Adviseur"), "assign": "everyone_else"},
]


def _consult(*steps: dict[str, object]) -> Play:
    """A round with Bob as case owner and Cas and Dee as advisors, at its first step."""
    play = Play(protocol(*steps))
    play.join("bob", "cas", "dee")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.advance()
    return play


def test_advice_is_refused_during_question_round() -> None:
    play = _consult(step("questions", "collect", ["advisor"], questions_only=True))
    error = play.refuse(cmd.Contribute(user="cas", text="Je moet de ouders bellen."))
    assert error.code == "not_a_question"
    assert "Advies en meningen komen later" in error.message("nl")
    play.do(cmd.Contribute(user="cas", text="Wat zei de leerling precies?"))
    assert [i.text for i in play.s.items] == ["Wat zei de leerling precies?"]


def test_an_action_of_another_step_kind_says_what_this_step_asks() -> None:
    play = _consult(step("questions", "collect", ["advisor"]))
    error = play.refuse(cmd.Vote(user="cas", item_ids=["i1"]))
    assert error.code == "wrong_step"
    assert (
        error.message("en")
        == "This is the step 'Step questions'. Write your contribution with *Write*."
    )


def test_a_form_opened_for_an_earlier_step_is_refused_and_nothing_saved() -> None:
    play = _consult(step("one", "collect", ["advisor"]), step("two", "collect", ["advisor"]))
    play.advance()
    error = play.refuse(cmd.Contribute(user="cas", text="Te laat", step_id="one"))
    assert error.code == "stale_step"
    assert (
        error.message("nl")
        == "Die stap is al voorbij; nu is het 'Stap two'. Er is niets opgeslagen."
    )


def test_collect_keeps_to_the_maximum_per_person() -> None:
    play = _consult(step("ideas", "collect", ["advisor"], max_per_person=2))
    play.do(cmd.Contribute(user="cas", text="Een"))
    play.do(cmd.Contribute(user="cas", text="Twee"))
    assert play.refuse(cmd.Contribute(user="cas", text="Drie")).code == "limit_reached"


def test_empty_and_overlong_texts_are_refused() -> None:
    play = _consult(step("ideas", "collect", ["advisor"]))
    assert play.refuse(cmd.Contribute(user="cas", text="   ")).code == "empty_text"
    error = play.refuse(cmd.Contribute(user="cas", text="x" * 3001))
    assert error.code == "text_too_long"
    assert "3001" in error.message("en")


def test_the_vote_makes_the_author_of_the_winning_case_case_owner() -> None:
    play = Play(
        protocol(
            step("propose", "collect", max_per_person=1),
            step("choose", "vote", source="propose", assigns_role="case_owner"),
            step("case", "speak", ["case_owner"]),
            roles=CASE_VOTE_ROLES,
        )
    )
    play.join("bob", "cas")
    play.advance()
    for user in ("ann", "bob", "cas"):
        play.do(cmd.Contribute(user=user, text=f"Casus van {user}"))
    play.advance()
    play.do(cmd.Vote(user="ann", item_ids=["i3"]))
    play.do(cmd.Vote(user="bob", item_ids=["i3"]))
    play.do(cmd.Vote(user="cas", item_ids=["i1"]))
    events = play.advance()
    closed = next(e for e in events if isinstance(e, ev.VoteClosed))
    assert closed.winner == "i3"
    assert closed.tally == {"i1": 1, "i2": 0, "i3": 2}
    assert play.s.holders("case_owner") == ["cas"]
    assert play.s.holders("advisor") == ["ann", "bob"]


def test_a_tied_vote_goes_to_the_case_proposed_first() -> None:
    play = Play(
        protocol(
            step("propose", "collect", max_per_person=1),
            step("choose", "vote", source="propose", assigns_role="case_owner"),
            roles=CASE_VOTE_ROLES,
        )
    )
    play.join("bob")
    play.advance()
    play.do(cmd.Contribute(user="bob", text="Eerst"))
    play.do(cmd.Contribute(user="ann", text="Daarna"))
    play.advance()
    play.do(cmd.Vote(user="ann", item_ids=["i1"]))
    play.do(cmd.Vote(user="bob", item_ids=["i2"]))
    play.advance()
    assert play.s.holders("case_owner") == ["bob"]


def test_votes_are_limited_and_only_for_items_of_the_source_step() -> None:
    play = Play(
        protocol(
            step("propose", "collect", max_per_person=1),
            step("choose", "vote", source="propose", votes_per_person=1),
        )
    )
    play.join("bob")
    play.advance()
    play.do(cmd.Contribute(user="ann", text="A"))
    play.do(cmd.Contribute(user="bob", text="B"))
    play.advance()
    assert play.refuse(cmd.Vote(user="bob", item_ids=["i1", "i2"])).code == "too_many_choices"
    assert play.refuse(cmd.Vote(user="bob", item_ids=["i9"])).code == "unknown_item"
    play.do(cmd.Vote(user="bob", item_ids=["i1"]))
    play.do(cmd.Vote(user="bob", item_ids=["i2"]))
    assert play.s.votes["choose"] == {"bob": ["i2"]}, "a second vote replaces the first"


def test_the_case_owner_alone_answers_the_questions_one_by_one() -> None:
    play = _consult(
        step("questions", "collect", ["advisor"]),
        step("answers", "respond", ["case_owner"], source="questions"),
    )
    play.do(cmd.Contribute(user="cas", text="Hoe oud?"))
    play.do(cmd.Contribute(user="dee", text="Waar?"))
    play.advance()
    assert play.refuse(cmd.Respond(user="cas", item_id="i1", text="12")).code == "not_your_part"
    play.do(cmd.Respond(user="bob", item_id="i1", text="Twaalf"))
    assert play.s.missing(play.s.step) == ["bob"]  # type: ignore[arg-type]
    play.do(cmd.Respond(user="bob", item_id="i2", text="In de gang"))
    assert play.s.missing(play.s.step) == []  # type: ignore[arg-type]
    assert play.s.responses["i2"].text == "In de gang"


def test_labels_sort_the_questions_warm_and_cold() -> None:
    labels = [{"id": "warm", "name": text("Warm")}, {"id": "cold", "name": text("Koud", "Cold")}]
    play = _consult(
        step("questions", "collect", ["advisor"]),
        step("label", "respond", ["case_owner"], source="questions", labels=labels),
    )
    play.do(cmd.Contribute(user="cas", text="Wat raakt je?"))
    play.advance()
    error = play.refuse(cmd.Respond(user="bob", item_id="i1", label="lauw"))
    assert error.message("en") == "Choose one of these labels: warm, cold."
    play.do(cmd.Respond(user="bob", item_id="i1", label="warm"))
    assert play.s.responses["i1"].label == "warm"


def test_the_case_owner_picks_the_most_useful_advice() -> None:
    play = _consult(
        step("advice", "collect", ["advisor"]),
        step("pick", "pick", ["case_owner"], source="advice", min_picks=1, max_picks=2),
    )
    for n, user in enumerate(("cas", "dee", "cas")):
        play.do(cmd.Contribute(user=user, text=f"Advies {n}"))
    play.advance()
    assert play.refuse(cmd.Pick(user="bob", item_ids=["i1", "i2", "i3"])).code == "too_many_choices"
    assert play.refuse(cmd.Pick(user="bob", item_ids=[])).code == "too_few_choices"
    assert play.refuse(cmd.Pick(user="dee", item_ids=["i1"])).code == "not_your_part"
    play.do(cmd.Pick(user="bob", item_ids=["i3", "i1"]))
    assert play.s.picks["pick"] == {"bob": ["i3", "i1"]}


def test_round_robin_gives_the_floor_in_turn() -> None:
    play = _consult(step("positions", "round_robin", ["advisor"]))
    assert play.s.turn_holder(play.s.step) == "ann"  # type: ignore[arg-type]
    assert play.refuse(cmd.Contribute(user="cas", text="Ik")).code == "not_your_turn"
    play.do(cmd.Contribute(user="ann", text="Ik zou het gesprek aangaan."))
    events = play.do(cmd.NextTurn(user="ann"))
    assert isinstance(events[0], ev.TurnPassed)
    assert play.s.turn_holder(play.s.step) == "cas"  # type: ignore[arg-type]
    assert play.refuse(cmd.NextTurn(user="dee")).code == "not_your_turn"
    play.do(cmd.NextTurn(user="ann"))  # the facilitator may move it on
    play.do(cmd.NextTurn(user="dee"))
    assert play.s.turn_holder(play.s.step) is None  # type: ignore[arg-type]
    assert play.refuse(cmd.NextTurn(user="ann")).code == "no_turns"


def test_actions_get_an_owner_and_a_due_date() -> None:
    play = _consult(step("plan", "actions", ["case_owner"], default_due_days=14))
    play.do(cmd.AddAction(user="bob", text="Gesprek met mentor"))
    play.do(cmd.AddAction(user="bob", text="Ouders bellen", owner="cas", due=date(2026, 12, 1)))
    first, second = play.s.actions
    assert (first.owner, first.due) == ("bob", date(2026, 12, 8))
    assert (second.owner, second.due) == ("cas", date(2026, 12, 1))
    assert first.action_id == "r1-a1"
    error = play.refuse(cmd.AddAction(user="bob", text="Terug in de tijd", due=date(2026, 11, 1)))
    assert error.code == "due_in_past"
    assert play.refuse(cmd.AddAction(user="bob", text="X", owner="zed")).code == "not_a_participant"


def test_open_actions_of_last_time_are_reported_on_by_their_owner() -> None:
    last_time = [
        ev.OpenAction(
            action_id="old-1",
            text="Lesbezoek",
            owner="cas",
            owner_name="Cas",
            due=date(2026, 11, 20),
        )
    ]
    play = Play(protocol(step("review", "actions", review_open=True)), open_actions=last_time)
    play.join("bob", "cas")
    play.advance()
    assert play.s.missing(play.s.step) == ["cas"]  # type: ignore[arg-type]
    error = play.refuse(cmd.ReportAction(user="bob", action_id="old-1", status="done"))
    assert (
        error.message("nl") == "Alleen Cas of de gespreksleider kan over dit actiepunt vertellen."
    )
    play.do(cmd.ReportAction(user="cas", action_id="old-1", status="partly", note="Half gelukt"))
    assert play.s.reports["old-1"].status == "partly"
    assert play.s.missing(play.s.step) == []  # type: ignore[arg-type]
    assert (
        play.refuse(cmd.ReportAction(user="cas", action_id="nope", status="done")).code
        == "unknown_action"
    )


def test_everyone_rates_the_round_within_its_scale() -> None:
    play = _consult(step("look_back", "reflect", scale=5))
    assert (
        play.refuse(cmd.Reflect(user="cas", rating=6)).message("en") == "Give a rating from 1 to 5."
    )
    play.do(cmd.Reflect(user="cas", rating=4, text="Meer doorvragen"))
    assert play.s.reflections["look_back"]["cas"].rating == 4


def test_instructions_can_ask_everyone_to_acknowledge() -> None:
    play = _consult(step("rules", "instruction", acknowledge=True))
    assert play.s.missing(play.s.step) == ["ann", "bob", "cas", "dee"]  # type: ignore[arg-type]
    play.do(cmd.Acknowledge(user="cas"))
    assert play.do(cmd.Acknowledge(user="cas")) == [], "a second click changes nothing"
    assert play.s.missing(play.s.step) == ["ann", "bob", "dee"]  # type: ignore[arg-type]


def test_during_gossip_the_case_owner_reads_but_does_not_write(builtin: Any) -> None:
    play = Play(builtin("gossip"))
    play.join("bob", "cas", "dee")
    play.until("propose")
    play.do(cmd.Contribute(user="bob", text="Een leerling die steeds te laat komt."))
    play.until("choose")
    play.do(cmd.Vote(user="cas", item_ids=["i1"]))
    play.until("gossip")
    assert play.s.holders("case_owner") == ["bob"]
    error = play.refuse(cmd.Contribute(user="bob", text="Maar zo was het niet!"))
    assert error.code == "not_your_part"
    assert "read along" in error.message("en")
    play.do(cmd.Contribute(user="cas", text="Ik denk dat Bob zich alleen voelt staan."))
