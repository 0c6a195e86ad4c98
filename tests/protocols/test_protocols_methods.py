"""The built-in methods as a trained intervisie facilitator signs them off:
phase order, roles, windows, caps and the steps that stay open."""

from __future__ import annotations

from importlib import resources

import pytest

from protocols.loader import load_library
from protocols.schema import (
    ActionsStep,
    CollectStep,
    PickStep,
    Protocol,
    RoundRobinStep,
    SpeakStep,
    VoteStep,
)

LIBRARY = load_library()


def method(protocol_id: str) -> Protocol:
    found = LIBRARY.get(protocol_id)
    assert found is not None, protocol_id
    return found


def order(protocol: Protocol, *step_ids: str) -> list[int]:
    return [protocol.step_index(step_id) for step_id in step_ids]


def text_of(protocol: Protocol, step_id: str, language: str = "nl") -> str:
    step = protocol.step(step_id)
    assert step is not None, step_id
    return step.prompt.nl if language == "nl" else step.prompt.en


# Methods where a case owner is chosen by vote from the cases people bring.
CASE_METHODS = sorted(
    p.id
    for p in LIBRARY
    if any(isinstance(s, VoteStep) and s.assigns_role == "case_owner" for s in p.steps)
)


def test_the_case_methods_are_the_intervisie_methods() -> None:
    assert {"incident", "gossip", "balint", "five_step", "u_procedure", "socratic"} <= set(
        CASE_METHODS
    )


@pytest.mark.parametrize("protocol_id", CASE_METHODS)
def test_bringing_a_case_is_voluntary_and_waits_for_those_who_have_one(protocol_id: str) -> None:
    protocol = method(protocol_id)
    vote = next(s for s in protocol.steps if isinstance(s, VoteStep))
    propose = protocol.step(vote.source)
    assert isinstance(propose, CollectStep)
    assert propose.min_per_person == 0
    assert propose.stays_open
    assert "vrijwillig" in propose.prompt.nl
    assert "up to you" in propose.prompt.en


@pytest.mark.parametrize("protocol_id", CASE_METHODS)
def test_an_async_case_round_takes_about_a_week(protocol_id: str) -> None:
    assert 4 * 24 <= method(protocol_id).async_hours <= 7 * 24


@pytest.mark.parametrize("protocol_id", CASE_METHODS)
def test_live_question_rounds_cap_questions_per_person(protocol_id: str) -> None:
    for step in method(protocol_id).steps:
        if isinstance(step, CollectStep) and step.questions_only:
            cap = step.live_max_per_person or step.max_per_person
            assert cap <= 2, step.id


def test_the_board_session_runs_within_one_school_day_async() -> None:
    assert method("board_session").async_hours <= 8


OLD_WORDING = [
    "beslissen wat je deed",
    "Schrijf dit alleen, zonder te overleggen",
    "Let op: is",
    "Geef de ronde een cijfer",
    "Iedereen doet mee als gelijke",
    "Successen benoemen doet ertoe",
    "het leerplan",
    "hoogstens",
    "Iedereen noemt er één",
    "Iedereen brengt er één in",
]


@pytest.mark.parametrize("phrase", OLD_WORDING)
def test_the_reviewed_calques_are_gone_from_every_method(phrase: str) -> None:
    folder = resources.files("protocols") / "library"
    for entry in folder.iterdir():
        flat = " ".join(entry.read_text(encoding="utf-8").split())
        assert phrase not in flat, entry.name


# -- Balint as the intervisie form ---------------------------------------------------


def test_balint_writes_first_impressions_alone_before_any_question() -> None:
    balint = method("balint")
    impressions = balint.step("first_impressions")
    assert isinstance(impressions, CollectStep) and impressions.visibility == "hidden"
    case, first, questions, share = order(
        balint, "case", "first_impressions", "questions", "associate"
    )
    assert case < first < questions < share


def test_balint_advice_is_written_alone_then_discussed_while_the_case_owner_listens() -> None:
    balint = method("balint")
    advice, round_ = balint.step("advice"), balint.step("advice_round")
    assert isinstance(advice, CollectStep) and advice.visibility == "hidden"
    assert isinstance(round_, RoundRobinStep) and round_.source == "advice"
    assert round_.actors == ["advisor"]
    assert "luistert" in round_.prompt.nl


def test_balint_ends_in_the_case_owners_decision_without_a_compulsory_action() -> None:
    balint = method("balint")
    decision, next_step = balint.step("decision"), balint.step("next_step")
    assert isinstance(decision, SpeakStep) and decision.actors == ["case_owner"]
    assert isinstance(next_step, ActionsStep) and next_step.min_actions == 0
    assert order(balint, "advice_round", "decision") == sorted(
        order(balint, "advice_round", "decision")
    )
    assert "Movisie" in balint.summary.nl
    assert "intervisie" in balint.title.nl


# -- Verdiepen in U-vorm -------------------------------------------------------------


def test_the_u_form_has_its_own_name_and_says_why() -> None:
    u = method("u_procedure")
    assert u.title.nl == "Verdiepen in U-vorm"
    assert "Dilts" in u.summary.nl and "U-procedure" in u.summary.nl
    assert LIBRARY.get("u_vorm") is u


def test_the_u_form_goes_down_through_own_behaviour_and_mirrors_it_on_the_way_up() -> None:
    u = method("u_procedure")
    down = order(u, "fact_questions", "behaviour_questions", "feeling_questions", "value_questions")
    up = order(u, "new_question", "stance", "options", "plan")
    assert down == sorted(down) and up == sorted(up) and down[-1] < up[0]
    assert "spiegel van wat de inbrenger deed" in text_of(u, "options")


# -- lesson study and peer observation -----------------------------------------------


def test_lesson_study_chooses_case_pupils_before_the_design_and_predicts_per_pupil() -> None:
    ls = method("lesson_study")
    pupils, design, predictions, lesson = order(
        ls, "case_pupils", "design", "predictions", "research_lesson"
    )
    assert pupils < design < predictions < lesson
    assert "per casusleerling" in text_of(ls, "predictions")


def test_lesson_study_talks_to_pupils_and_teaches_the_revised_lesson_again() -> None:
    ls = method("lesson_study")
    steps = order(
        ls,
        "research_lesson",
        "pupil_interviews",
        "discussion",
        "revise",
        "second_lesson",
        "second_discussion",
    )
    assert steps == sorted(steps)
    second = ls.step("second_discussion")
    assert isinstance(second, RoundRobinStep) and second.source == "second_lesson"
    assert isinstance(ls.step("revise"), CollectStep)


def test_lesson_study_research_and_design_stay_open_until_closed() -> None:
    ls = method("lesson_study")
    for step_id in ("research_question", "study", "design", "revise"):
        step = ls.step(step_id)
        assert step is not None and step.stays_open, step_id


def test_peer_observation_chooses_the_observation_form_together() -> None:
    po = method("peer_observation")
    form = text_of(po, "observation_form")
    for word in ("kijkvraag", "kijkwijzer", "vrij", "gestructureerd", "tijdvak"):
        assert word in form
    assert order(po, "preparation", "observation_form", "lesson_visit") == sorted(
        order(po, "preparation", "observation_form", "lesson_visit")
    )


def test_peer_observation_talks_are_dialogues_the_bot_keeps_the_record_of() -> None:
    po = method("peer_observation")
    for step_id in ("preparation", "feedback_talk"):
        step = po.step(step_id)
        assert step is not None
        assert step.actors == ["teacher", "observer"]
        assert step.best_spoken and step.stays_open


# -- incident, gossip, Socratic, solution-focused, five-step --------------------------


def test_the_incident_analysis_ends_in_a_problem_statement_the_case_owner_checks() -> None:
    incident = method("incident")
    steps = order(incident, "analysis", "problem_statement", "problem_check", "position")
    assert steps == sorted(steps)
    check = incident.step("problem_check")
    assert check is not None and check.actors == ["case_owner"]


def test_the_incident_information_round_keeps_what_happened_for_later() -> None:
    incident = method("incident")
    assert "Vertel nog niet wat je deed of hoe het afliep" in text_of(incident, "information")
    assert "niet wat de inbrenger deed of hoe het afliep" in text_of(incident, "questions")
    assert "Vertel nog niet wat je deed." in text_of(incident, "propose")


def test_the_incident_method_has_a_short_second_question_round() -> None:
    incident = method("incident")
    follow = incident.step("follow_up")
    assert isinstance(follow, CollectStep) and follow.questions_only
    assert follow.max_per_person == 1 and follow.min_per_person == 0
    info, follow_up, answers, analysis = order(
        incident, "information", "follow_up", "follow_up_answers", "analysis"
    )
    assert info < follow_up < answers < analysis


def test_gossip_states_its_safety_precondition_and_asks_how_it_was_to_be_talked_about() -> None:
    gossip = method("gossip")
    assert "veilig" in gossip.ground_rules[0].nl
    assert "hoe was het om over jezelf te horen praten?" in text_of(gossip, "reaction").lower()
    step = gossip.step("gossip")
    assert step is not None and step.stays_open and step.best_spoken


def test_socratic_looks_for_what_keeps_the_problem_going_with_a_check_and_optional_tips() -> None:
    socratic = method("socratic")
    assert socratic.step("strengths") is None
    forces, check, tips = order(socratic, "forces", "forces_check", "tips")
    assert forces < check < tips
    assert "in stand" in text_of(socratic, "forces")
    tip_step = socratic.step("tips")
    assert isinstance(tip_step, CollectStep) and tip_step.min_per_person == 0


def test_solution_focused_helps_make_the_desired_situation_concrete() -> None:
    sf = method("solution_focused")
    situation, questions, answers, exceptions = order(
        sf, "situation", "desired_questions", "desired_answers", "exception_questions"
    )
    assert situation < questions < answers < exceptions
    assert "concreet" in text_of(sf, "desired_questions")


def test_five_step_lets_the_group_sum_up_and_asks_once_which_advice_appeals() -> None:
    five = method("five_step")
    summary = five.step("summary")
    assert summary is not None and summary.actors == ["advisor"]
    asks = [s.id for s in five.steps if "spreken je aan" in s.prompt.nl]
    assert asks == ["advice_pick"]
    assert isinstance(five.step("advice_pick"), PickStep)


# -- the methods that lose their heart in writing ---------------------------------------


@pytest.mark.parametrize(
    ("protocol_id", "step_id"),
    [
        ("gossip", "gossip"),
        ("balint", "associate"),
        ("balint", "advice_round"),
        ("lesson_study", "discussion"),
        ("peer_observation", "feedback_talk"),
    ],
)
def test_steps_carried_by_tone_suggest_talking_live_on_video(
    protocol_id: str, step_id: str
) -> None:
    step = method(protocol_id).step(step_id)
    assert step is not None and step.best_spoken


@pytest.mark.parametrize(
    ("protocol_id", "step_id"),
    [("gossip", "gossip"), ("balint", "associate"), ("lesson_study", "design")],
)
def test_exchange_steps_stay_open_until_the_facilitator_or_deadline_closes_them(
    protocol_id: str, step_id: str
) -> None:
    step = method(protocol_id).step(step_id)
    assert step is not None and step.stays_open


# -- the six methods the seed and the Dutch canon name --------------------------------

SOURCES = {
    "incident": "Hendriksen",
    "gossip": "bpopleidingen",
    "balint": "Movisie",
    "five_step": "bpopleidingen",
    "u_procedure": "Dilts",
    "solution_focused": "de Shazer",
    "socratic": "me-we",
    "peer_observation": "wij-leren.nl",
    "lesson_study": "lessonstudy.nl",
    "board_session": "stichting-leerkracht.nl",
    "lesson_visit": "stichting-leerkracht.nl",
    "learning_from_success": "De Caluwé",
    "research_cycle": "Van der Donk",
    "ten_step": "bpopleidingen",
    "joint_lesson_design": "stichting-leerkracht.nl",
    "reading_club": "journal club",
}


def test_the_library_offers_at_least_seventeen_methods() -> None:
    assert len(LIBRARY.ids) >= 17
    assert set(SOURCES) <= set(LIBRARY.ids)


@pytest.mark.parametrize(("protocol_id", "source"), sorted(SOURCES.items()))
def test_each_method_names_its_source_in_both_languages(protocol_id: str, source: str) -> None:
    protocol = method(protocol_id)
    assert source in protocol.summary.nl
    assert source in protocol.summary.en


def test_the_lesson_visit_is_fifteen_minutes_with_one_question_and_fact_then_effect() -> None:
    visit = method("lesson_visit")
    assert LIBRARY.get("lesbezoek") is visit
    assert visit.step("visit") is not None and visit.step("visit").minutes == 15  # type: ignore[union-attr]
    feedback = text_of(visit, "feedback")
    assert feedback.index("Ik zag") < feedback.index("daardoor")
    next_step = visit.step("next_step")
    assert isinstance(next_step, ActionsStep) and next_step.default_due_days == 14
    assert "bordsessie" in text_of(visit, "next_step")
    assert "/dialoog start lesbezoek" in text_of(method("board_session"), "planning")


def test_learning_from_success_sorts_factors_in_two_columns_then_asks_what_we_learn() -> None:
    success = method("learning_from_success")
    steps = order(
        success, "story", "own_factors", "context_factors", "owner_adds", "deepening", "lessons"
    )
    assert steps == sorted(steps)
    assert text_of(success, "lessons").startswith("Wat leren wij hiervan?")


def test_the_research_cycle_runs_its_seven_phases_over_months_async() -> None:
    cycle = method("research_cycle")
    phases = order(
        cycle,
        "practice_question",
        "research_question",
        "design",
        "data",
        "analysis",
        "conclusions",
        "share",
    )
    assert phases == sorted(phases)
    assert cycle.modes == ["async"]
    assert cycle.async_hours >= 60 * 24


def test_the_ten_step_method_keeps_its_ten_steps_in_order() -> None:
    ten = method("ten_step")
    steps = order(
        ten,
        "describe",
        "questions",
        "answers",
        "follow_up",
        "core",
        "redefine",
        "approach",
        "tips",
        "insights",
    )
    assert steps == sorted(steps)
    answers = ten.step("answers")
    assert answers is not None and answers.kind == "respond" and len(answers.labels) == 3  # type: ignore[union-attr]


def test_joint_lesson_design_sets_criteria_before_designing_and_checks_the_effect() -> None:
    design = method("joint_lesson_design")
    steps = order(design, "goal", "criteria", "design", "teach", "effect", "adapt")
    assert steps == sorted(steps)
    assert "succescriteria" in text_of(design, "effect")


def test_the_reading_club_starts_with_last_times_try_outs_and_ends_with_a_new_one() -> None:
    club = method("reading_club")
    first, last = club.steps[0], club.step("try_out")
    assert isinstance(first, ActionsStep) and first.review_open
    assert isinstance(last, ActionsStep) and last.min_actions == 1
    assert order(club, "article", "core", "practice", "try_out") == sorted(
        order(club, "article", "core", "practice", "try_out")
    )


@pytest.mark.parametrize("protocol_id", CASE_METHODS)
def test_once_the_case_is_chosen_every_working_step_shows_what_it_builds_on(
    protocol_id: str,
) -> None:
    protocol = method(protocol_id)
    vote = next(i for i, s in enumerate(protocol.steps) if isinstance(s, VoteStep))
    bare = [
        s.id
        for s in protocol.steps[vote + 1 :]
        if not s.shows and s.kind not in ("reflect", "instruction")
    ]
    assert bare == []
    # The step right after the vote shows the chosen case.
    assert protocol.steps[vote].id in protocol.steps[vote + 1].shows


def test_the_incident_discussion_shows_situation_answers_positions_and_outcome() -> None:
    step = method("incident").step("discussion")
    assert step is not None
    assert step.shows == ["sketch", "information", "positions", "outcome"]
