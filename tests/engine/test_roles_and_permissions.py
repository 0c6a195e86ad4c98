"""Who may do what: joining, roles, and the facilitator's controls."""

from __future__ import annotations

from bot.engine import commands as cmd
from tests.engine.conftest import Play, protocol, step, text

TWO_STEPS = protocol(
    step("case", "speak", ["case_owner"]),
    step("questions", "collect", ["advisor"]),
)


def test_the_starter_joins_and_becomes_facilitator() -> None:
    play = Play(TWO_STEPS)
    assert play.s.participants == {"ann": "Ann"}
    assert play.s.holders("facilitator") == ["ann"]
    assert play.s.status == "gathering"


def test_joining_twice_is_refused_politely() -> None:
    play = Play(TWO_STEPS)
    play.join("bob")
    error = play.refuse(cmd.Join(user="bob", name="Bob"))
    assert error.code == "already_joined"
    assert error.message("nl") == "Je doet al mee aan deze ronde."


def test_someone_who_has_not_joined_cannot_contribute() -> None:
    play = Play(TWO_STEPS)
    play.join("bob")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.until("case")
    error = play.refuse(cmd.Contribute(user="zed", text="Hallo"))
    assert error.code == "not_joined"
    assert "Meedoen" in error.message("nl")
    assert "Join" in error.message("en")


def test_only_the_facilitator_moves_the_round_on() -> None:
    play = Play(TWO_STEPS)
    play.join("bob")
    for command in (
        cmd.Advance(user="bob"),
        cmd.Extend(user="bob"),
        cmd.Pause(user="bob"),
        cmd.Cancel(user="bob"),
    ):
        error = play.refuse(command)
        assert error.code == "only_facilitator"
        assert error.message("en") == "Only the facilitator (Ann) can do this."


def test_a_volunteer_takes_a_free_role_and_a_second_one_is_told_who_has_it() -> None:
    play = Play(TWO_STEPS)
    play.join("bob", "cas")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    error = play.refuse(cmd.Volunteer(user="cas", role="case_owner"))
    assert error.code == "role_taken"
    assert error.message("nl") == "Bob is al inbrenger."


def test_roles_assigned_otherwise_cannot_be_volunteered_for() -> None:
    play = Play(TWO_STEPS)
    play.join("bob")
    error = play.refuse(cmd.Volunteer(user="bob", role="facilitator"))
    assert error.code == "role_not_volunteer"
    assert "whoever starts" in error.message("en")


def test_an_unknown_role_lists_the_roles_there_are() -> None:
    play = Play(TWO_STEPS)
    play.join("bob")
    error = play.refuse(cmd.Volunteer(user="bob", role="inbrenger"))
    assert error.code == "unknown_role"
    assert "Case owner" in error.message("en") and "case_owner" not in error.message("en")
    assert "Gespreksleider, Inbrenger en Adviseur" in error.message("nl")


def test_the_first_step_waits_for_a_required_role() -> None:
    play = Play(TWO_STEPS)
    play.join("bob")
    error = play.refuse(cmd.Advance(user="ann"))
    assert error.code == "role_missing"
    assert error.message("nl").startswith("Nog niemand is inbrenger.")


def test_the_facilitator_can_hand_a_role_to_someone_else() -> None:
    play = Play(TWO_STEPS)
    play.join("bob", "cas")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.do(cmd.AssignRole(user="ann", role="case_owner", to="cas"))
    assert play.s.holders("case_owner") == ["cas"]
    assert "bob" in play.s.holders("advisor")


def test_a_role_goes_only_to_someone_who_joined() -> None:
    play = Play(TWO_STEPS)
    error = play.refuse(cmd.AssignRole(user="ann", role="case_owner", to="zed"))
    assert error.code == "not_a_participant"


def test_everyone_else_means_everyone_but_the_case_owner() -> None:
    play = Play(TWO_STEPS)
    play.join("bob", "cas")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    # The facilitator helps the round along and still takes part as an advisor.
    assert play.s.holders("advisor") == ["ann", "cas"]


def test_only_the_roles_a_step_names_may_contribute() -> None:
    play = Play(TWO_STEPS)
    play.join("bob", "cas")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.until("questions")
    error = play.refuse(cmd.Contribute(user="bob", text="Mag ik iets vragen?"))
    assert error.code == "not_your_part"
    assert error.message("en") == "In this step it is up to the advisor. You listen and read along."


def test_rotation_gives_the_role_to_who_least_recently_held_it() -> None:
    from datetime import timedelta

    from tests.engine.conftest import T0

    roles = [
        {"id": "facilitator", "name": text("Gespreksleider"), "assign": "starter"},
        {"id": "timekeeper", "name": text("Tijdbewaker"), "assign": "rotation"},
        {"id": "advisor", "name": text("Adviseur"), "assign": "everyone_else"},
    ]
    history = {"timekeeper": {"bob": T0 - timedelta(days=7), "cas": T0 - timedelta(days=21)}}
    play = Play(protocol(step("talk", "collect"), roles=roles), role_history=history)
    play.join("bob", "cas")
    play.advance()
    assert play.s.holders("timekeeper") == ["cas"]

    never = Play(protocol(step("talk", "collect"), roles=roles), role_history=history)
    never.join("bob", "cas", "dee")
    never.advance()
    assert never.s.holders("timekeeper") == ["dee"], "never held beats held long ago"


def test_a_finished_round_refuses_everything_but_says_how_to_start_anew() -> None:
    play = Play(protocol(step("only", "instruction")))
    play.advance()
    play.advance()
    assert play.s.status == "finished"
    error = play.refuse(cmd.Join(user="bob", name="Bob"))
    assert error.code == "round_over"
    assert "/dialoog start" in error.message("nl")


def test_a_cancelled_round_is_over() -> None:
    play = Play(TWO_STEPS)
    play.do(cmd.Cancel(user="ann"))
    assert play.s.status == "cancelled"
    assert play.refuse(cmd.Advance(user="ann")).code == "round_over"


def test_the_facilitator_gets_a_form_to_hand_out_roles_and_others_do_not() -> None:
    from bot.engine import panel
    from bot.engine.actions import command_for
    from bot.engine.messages import ChoiceInput, Form

    play = Play(TWO_STEPS)
    play.join("bob")
    assert panel(play.s, "bob", play.now, "roles") is None
    form = panel(play.s, "ann", play.now, "roles")
    assert form is not None
    assign = next(b for b in form.blocks if isinstance(b, Form))
    role_choice, person_choice = assign.inputs
    assert isinstance(role_choice, ChoiceInput) and isinstance(person_choice, ChoiceInput)
    assert [o.value for o in role_choice.options] == ["facilitator", "case_owner"]
    assert [o.label for o in person_choice.options] == ["Ann", "Bob"]
    command = command_for(
        assign.action, assign.value, {"role": "case_owner", "user": "bob"}, user="ann", name="Ann"
    )
    play.do(command)
    assert play.s.holders("case_owner") == ["bob"]


def test_a_role_left_empty_by_the_vote_says_the_facilitator_assigns_it() -> None:
    roles = [
        {"id": "facilitator", "name": text("Gespreksleider"), "assign": "starter"},
        {"id": "case_owner", "name": text("Inbrenger", "Case owner"), "assign": "vote"},
        {"id": "advisor", "name": text("Adviseur"), "assign": "everyone_else"},
    ]
    play = Play(
        protocol(
            step("propose", "collect", max_per_person=1),
            step("choose", "vote", source="propose", assigns_role="case_owner"),
            step("case", "speak", ["case_owner"]),
            roles=roles,
        )
    )
    play.advance()
    play.advance()
    error = play.refuse(cmd.Advance(user="ann"))
    assert (
        error.message("en")
        == "Nobody is case owner yet. The facilitator assigns someone with *Roles*."
    )


def test_a_scheduled_round_waits_for_whoever_comes_and_one_of_them_leads() -> None:
    from bot.engine import card, notices
    from bot.engine.messages import Buttons

    play = Play(TWO_STEPS, scheduled=True)
    assert play.s.participants == {}, "the one who planned it is not taken to be there"
    assert play.s.holders("facilitator") == []
    started = notices(None, play.log, play.s)[0].text
    assert started.startswith("*Testronde* begint, zoals gepland")
    play.join("bob", "cas")
    buttons = next(b for b in card(play.s, play.now).blocks if isinstance(b, Buttons)).buttons
    assert "Ik ben gespreksleider" in [b.label for b in buttons]
    assert play.refuse(cmd.Advance(user="bob")).code == "only_facilitator"
    play.do(cmd.Volunteer(user="bob", role="facilitator"))
    play.do(cmd.Volunteer(user="cas", role="case_owner"))
    play.advance(by="bob")
    assert play.s.step is not None and play.s.step.id == "case"
    assert "cas" in play.s.holders("case_owner") and "bob" in play.s.holders("advisor")


def test_in_a_round_someone_started_the_facilitator_cannot_be_volunteered_for() -> None:
    play = Play(TWO_STEPS)
    play.join("bob")
    assert play.refuse(cmd.Volunteer(user="bob", role="facilitator")).code == "role_not_volunteer"
