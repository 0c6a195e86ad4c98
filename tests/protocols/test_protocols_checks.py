"""The checks of meaning, on a valid protocol with one thing changed.

The broken fixtures cover the common mistakes with their lines; these cover
the rest of the rules, straight on the parsed protocol.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from protocols.checks import check_protocol
from protocols.problems import format_path
from protocols.schema import Protocol

MINI: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "valid" / "mini.yaml").read_text(encoding="utf-8")
)
# Steps of mini.yaml: 0 propose (collect), 1 choose (vote on 0, assigns case_owner),
# 2 situation (speak), 3 questions (collect), 4 answers (respond to 3).


def findings(change: Callable[[dict[str, Any]], None]) -> list[str]:
    data = copy.deepcopy(MINI)
    change(data)
    protocol = Protocol.model_validate(data)
    return [
        f"{format_path(finding.loc)}: {finding.message}" for finding in check_protocol(protocol)
    ]


def step(data: dict[str, Any], index: int) -> dict[str, Any]:
    found: dict[str, Any] = data["steps"][index]
    return found


def test_the_unchanged_protocol_has_no_findings() -> None:
    assert findings(lambda data: None) == []


def test_everyone_is_no_role_id() -> None:
    def change(data: dict[str, Any]) -> None:
        data["roles"][1]["id"] = "everyone"
        step(data, 3)["actors"] = ["everyone"]

    assert findings(change) == [
        "roles[1].id: 'everyone' is reserved for all participants in actors:; "
        "give the role another id"
    ]


def test_an_actor_is_listed_once() -> None:
    def change(data: dict[str, Any]) -> None:
        step(data, 3)["actors"] = ["advisor", "advisor"]

    assert findings(change) == ["steps[3].actors[1]: 'advisor' is already listed as actors[0]"]


def test_everyone_is_not_combined_with_roles() -> None:
    def change(data: dict[str, Any]) -> None:
        step(data, 3)["actors"] = ["everyone", "advisor"]

    assert findings(change) == [
        "steps[3].actors: 'everyone' already includes every role; list either everyone or roles"
    ]


def test_a_role_is_declared_once() -> None:
    def change(data: dict[str, Any]) -> None:
        data["roles"].append({**data["roles"][1], "assign": "volunteer"})

    assert findings(change) == ["roles[2].id: role id 'advisor' is already used by roles[1]"]


def test_a_step_cannot_use_its_own_items() -> None:
    def change(data: dict[str, Any]) -> None:
        step(data, 4)["source"] = "answers"

    assert findings(change) == [
        "steps[4].source: a step cannot use its own items; the source must be an earlier "
        "collect step: propose, questions"
    ]


def test_a_round_robin_source_is_a_collect_step() -> None:
    def change(data: dict[str, Any]) -> None:
        data["steps"].append(
            {**step(data, 2), "id": "turns", "kind": "round_robin", "source": "situation"}
        )

    assert findings(change) == [
        "steps[5].source: 'situation' is a speak step; the source of a round_robin step must "
        "be a collect step; earlier collect steps are: propose, questions"
    ]


def test_no_earlier_collect_step_is_said_plainly() -> None:
    def change(data: dict[str, Any]) -> None:
        data["steps"].insert(0, {**step(data, 4), "id": "early", "source": "propose"})

    assert findings(change)[0] == (
        "steps[0].source: 'propose' comes later (steps[1]); the source must be an earlier step; "
        "earlier steps are: (none)"
    )


def test_a_vote_needs_items_everyone_can_see() -> None:
    def change(data: dict[str, Any]) -> None:
        data["roles"][0]["assign"] = "starter"
        del step(data, 1)["assigns_role"]
        step(data, 0)["visibility"] = "case_owner"

    assert findings(change) == [
        "steps[1].source: the items of 'propose' are seen by the case owner alone "
        "(visibility: case_owner), so the group cannot vote on them"
    ]


def test_items_for_the_case_owner_wait_until_the_case_owner_is_chosen() -> None:
    def change(data: dict[str, Any]) -> None:
        data["steps"].insert(0, {**step(data, 3), "id": "early", "visibility": "case_owner"})

    assert findings(change) == [
        "steps[0].visibility: the case owner is only chosen in step 'choose' (steps[2]); "
        "nobody could read these items"
    ]


def test_items_for_the_case_owner_need_a_case_owner() -> None:
    def change(data: dict[str, Any]) -> None:
        data["roles"][0]["id"] = "teacher"
        step(data, 1)["assigns_role"] = "teacher"
        step(data, 2)["actors"] = ["teacher"]
        step(data, 3)["visibility"] = "case_owner"
        del data["steps"][4]

    assert findings(change) == [
        "steps[3].visibility: visibility: case_owner needs a case owner; declare a role with "
        "id: case_owner"
    ]


def test_the_case_owner_is_one_person() -> None:
    def change(data: dict[str, Any]) -> None:
        data["roles"][0]["assign"] = "everyone_else"
        data["roles"][1]["assign"] = "volunteer"
        del step(data, 1)["assigns_role"]

    assert findings(change) == [
        "roles[0].assign: the case_owner is one person; everyone_else would make it many"
    ]


def test_a_vote_assigns_a_declared_role() -> None:
    def change(data: dict[str, Any]) -> None:
        step(data, 1)["assigns_role"] = "case_ownr"

    assert findings(change) == [
        "steps[1].assigns_role: 'case_ownr' is not a declared role; did you mean "
        "'case_owner'? roles are: case_owner, advisor",
        "roles[0].assign: role 'case_owner' is assigned by vote, but no vote step has "
        "assigns_role: case_owner",
    ]


def test_a_role_is_chosen_by_one_vote() -> None:
    def change(data: dict[str, Any]) -> None:
        data["steps"].append({**step(data, 1), "id": "again"})

    assert findings(change) == [
        "steps[5].assigns_role: role 'case_owner' is already assigned by the vote of step "
        "'choose'; a role is chosen once"
    ]


def test_the_voted_role_cannot_act_in_its_own_vote() -> None:
    def change(data: dict[str, Any]) -> None:
        step(data, 1)["actors"] = ["case_owner"]

    assert findings(change) == [
        "steps[1].actors[0]: 'case_owner' acts here, but is only chosen by the vote of step "
        "'choose' (steps[1]); move this step after the vote or choose other actors"
    ]


def test_picks_need_a_case_owner_and_ordered_bounds() -> None:
    def change(data: dict[str, Any]) -> None:
        data["roles"][0]["id"] = "teacher"
        step(data, 1)["assigns_role"] = "teacher"
        for index in (2, 4):
            step(data, index)["actors"] = ["teacher"]
        data["steps"][4] = {
            **step(data, 4),
            "kind": "pick",
            "min_picks": 3,
            "max_picks": 2,
        }

    assert findings(change) == [
        "steps[4].kind: a pick step is done by the case owner; declare a role with id: case_owner",
        "steps[4].min_picks: min_picks (3) is larger than max_picks (2)",
    ]


def test_one_label_leaves_nothing_to_choose() -> None:
    def change(data: dict[str, Any]) -> None:
        step(data, 4)["labels"] = [{"id": "warm", "name": {"nl": "Warm", "en": "Warm"}}]

    assert findings(change) == [
        "steps[4].labels: one label leaves nothing to choose; give two or more, or none"
    ]


def test_a_mode_is_listed_once() -> None:
    def change(data: dict[str, Any]) -> None:
        data["modes"] = ["live", "live"]

    assert findings(change) == ["modes[1]: 'live' is already modes[0]"]


def test_a_live_question_cap_lies_between_the_minimum_and_the_maximum() -> None:
    def change(data: dict[str, Any]) -> None:
        step(data, 3).update(min_per_person=1, max_per_person=3, live_max_per_person=4)

    assert findings(change) == [
        "steps[3].live_max_per_person: live_max_per_person (4) must lie between "
        "min_per_person (1) and max_per_person (3)"
    ]


def test_a_listener_is_a_declared_role_that_does_not_act_in_the_step() -> None:
    def change(data: dict[str, Any]) -> None:
        step(data, 3)["listeners"] = ["case_owner", "casus_owner"]
        step(data, 2)["listeners"] = ["case_owner"]

    found = findings(change)
    assert len(found) == 2
    assert found[0].startswith("steps[2].listeners[0]: 'case_owner' acts in this step")
    assert found[1].startswith("steps[3].listeners[1]: 'casus_owner' is not a declared role")
    assert "did you mean 'case_owner'" in found[1].lower()


def test_a_step_shows_earlier_steps_with_something_to_show() -> None:
    def change(data: dict[str, Any]) -> None:
        data["steps"].insert(
            0, {**step(data, 2), "id": "rules", "kind": "instruction", "actors": ["everyone"]}
        )
        step(data, 5)["shows"] = ["rules", "situation"]

    assert findings(change) == [
        "steps[5].shows[0]: 'rules' is an instruction step and leaves nothing to show; "
        "earlier steps it can show are: propose, choose, situation, questions"
    ]


def test_items_for_the_case_owner_alone_are_not_shown_to_the_group() -> None:
    def change(data: dict[str, Any]) -> None:
        step(data, 3)["visibility"] = "case_owner"
        step(data, 4)["shows"] = ["questions"]

    assert findings(change) == [
        "steps[4].shows[0]: 'questions' holds items for the case owner alone "
        "(visibility: case_owner); earlier steps it can show are: propose, choose, situation"
    ]
