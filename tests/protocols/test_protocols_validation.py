"""Every problem in a protocol file names the file, line, column and path, and says what is right.

Each broken fixture is `valid/mini.yaml` with one kind of mistake; the tests
spell out the exact messages an author reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from protocols.loader import parse_protocol, read_protocol_file
from protocols.problems import ProtocolError
from protocols.schema import Protocol, VoteStep

VALID = Path(__file__).parent / "fixtures" / "valid"
BROKEN = Path(__file__).parent / "fixtures" / "broken"


def problems(name: str) -> list[str]:
    path = BROKEN / f"{name}.yaml"
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(path.read_text(encoding="utf-8"), path.name)
    return [str(problem) for problem in caught.value.problems]


def test_the_valid_fixtures_load() -> None:
    for path in sorted(VALID.glob("*.yaml")):
        assert read_protocol_file(path).protocol.id == path.stem


def test_a_problem_names_the_file_as_it_was_given() -> None:
    path = BROKEN / "missing_field.yaml"
    with pytest.raises(ProtocolError) as caught:
        read_protocol_file(path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{path}:22:5: steps[1]: missing 'minutes': how long the step takes in a live round, "
        "in minutes"
    ]


# --- reading the YAML ---------------------------------------------------------


def test_a_syntax_error_has_a_line_column_and_a_likely_cause() -> None:
    assert problems("syntax_error") == [
        "syntax_error.yaml:34:17: YAML syntax error: mapping values are not allowed here; "
        "a text that contains ': ' needs quotes around it, or a line is indented too far"
    ]


def test_an_empty_file_says_what_a_protocol_starts_with() -> None:
    assert problems("empty") == [
        "empty.yaml:1:1: the file is empty; a protocol file is a mapping of fields, "
        "starting with id:, version:, title: and summary:"
    ]


def test_a_file_that_is_not_a_mapping_says_what_it_holds() -> None:
    assert problems("not_a_mapping") == [
        "not_a_mapping.yaml:2:1: this file holds a list; a protocol file is a mapping of "
        "fields, starting with id:, version:, title: and summary:"
    ]


def test_a_duplicate_key_is_found_although_yaml_accepts_it() -> None:
    assert problems("duplicate_key") == [
        "duplicate_key.yaml:34:5: steps[2].prompt: duplicate key 'prompt' (first at line 33); "
        "YAML would silently keep only the last one"
    ]


def test_a_forgotten_dash_is_reported_once_with_its_cause() -> None:
    # The two merged steps would also give unknown fields; those would only distract.
    assert problems("forgotten_dash") == [
        "forgotten_dash.yaml:30:5: steps[1].id: duplicate key 'id' (first at line 22): two "
        "items seem to run together here; did you forget the '- ' that starts a new item?"
    ]


def test_a_step_that_lost_its_first_line_is_reported_once() -> None:
    assert problems("merged_items") == [
        "merged_items.yaml:30:5: steps[1].kind: duplicate key 'kind' (first at line 23): two "
        "items seem to run together here; did you forget the '- ' that starts a new item?"
    ]


def test_a_comma_inside_braces_is_explained_with_the_quoted_text() -> None:
    assert problems("lost_comma") == [
        "lost_comma.yaml:38:25: steps[3].title.open: 'open' has no value: inside {...} a comma "
        "separates fields; put a text that contains a comma in quotes, such as nl: "
        "'Vragen, open'",
        "lost_comma.yaml:38:46: steps[3].title.open ones: 'open ones' has no value: inside "
        "{...} a comma separates fields; put a text that contains a comma in quotes, such as "
        "en: 'Questions, open ones'",
    ]


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: mini\ntitle: {nl: Caf\u00e9, en: Cafe}\n".encode("latin-1"))
    with pytest.raises(ProtocolError) as caught:
        read_protocol_file(path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{path}:2:16: this is not UTF-8 text (byte 0xe9); save the file as UTF-8"
    ]


def test_a_byte_order_mark_is_accepted() -> None:
    text = (VALID / "mini.yaml").read_text(encoding="utf-8")
    assert parse_protocol("\ufeff" + text, "bom.yaml").protocol.id == "mini"


# --- the shape ------------------------------------------------------------------


def test_a_missing_field_says_what_it_is_for() -> None:
    assert problems("missing_field") == [
        "missing_field.yaml:22:5: steps[1]: missing 'minutes': how long the step takes in a "
        "live round, in minutes"
    ]


def test_an_unknown_field_suggests_the_field_meant_and_lists_the_fields() -> None:
    fields = ["id", "kind", *(name for name in VoteStep.model_fields if name not in {"id", "kind"})]
    # Not also "missing 'prompt'": the misspelling is the one mistake.
    assert problems("unknown_field") == [
        "unknown_field.yaml:25:5: steps[1].prompts: unknown field 'prompts'; did you mean "
        f"'prompt'? fields of a vote step are: {', '.join(fields)}"
    ]


def test_a_wrong_kind_suggests_the_kind_meant_and_lists_the_kinds() -> None:
    assert problems("wrong_kind") == [
        "wrong_kind.yaml:31:11: steps[2].kind: 'speek' is not a step kind; did you mean "
        "'speak'? kinds are: instruction, speak, collect, vote, respond, pick, round_robin, "
        "actions, reflect"
    ]


def test_a_missing_language_names_the_language() -> None:
    assert problems("missing_language") == [
        "missing_language.yaml:5:1: title: the English text (en:) is missing; every text "
        "needs nl: and en:"
    ]


def test_a_word_yaml_reads_as_false_is_quoted_back() -> None:
    assert problems("boolean_text") == [
        "boolean_text.yaml:33:31: steps[2].prompt.en: expected a text, got 'no', which YAML "
        "reads as false; put it in quotes: 'no'"
    ]


def test_wrong_types_say_what_was_expected_and_how_to_write_it() -> None:
    assert problems("wrong_types") == [
        "wrong_types.yaml:32:12: steps[2].title: expected a text in Dutch and English, got "
        "'Situatie'; write it as {nl: Situatie, en: ...}",
        "wrong_types.yaml:40:13: steps[3].actors: expected a list, got 'advisor'; write it as "
        "[advisor]",
        "wrong_types.yaml:48:14: steps[4].minutes: expected a whole number, got 'ten'",
    ]


def test_numbers_out_of_range_name_the_bound() -> None:
    assert problems("out_of_range") == [
        "out_of_range.yaml:4:10: version: must be at least 1, got 0",
        "out_of_range.yaml:29:14: steps[1].minutes: must be at most 600, got 900",
    ]


def test_an_invalid_id_suggests_a_valid_one() -> None:
    assert problems("bad_id") == [
        "bad_id.yaml:12:9: roles[1].id: 'Group Member' is not a valid id; an id has lowercase "
        "letters, digits and _, and starts with a letter, such as 'group_member'"
    ]


# --- the meaning ----------------------------------------------------------------


def test_a_duplicate_step_id_names_the_first_step() -> None:
    assert problems("duplicate_step_id") == [
        "duplicate_step_id.yaml:42:9: steps[4].id: step id 'situation' is already used by steps[2]"
    ]


def test_unknown_source_names_the_earlier_steps() -> None:
    assert problems("unknown_source") == [
        "unknown_source.yaml:47:13: steps[4].source: 'questoins' is not an earlier step; did "
        "you mean 'questions'? earlier steps are: propose, choose, situation, questions"
    ]


def test_a_source_that_comes_later_says_so() -> None:
    assert problems("source_not_earlier") == [
        "source_not_earlier.yaml:27:13: steps[1].source: 'questions' comes later (steps[3]); "
        "the source must be an earlier step; earlier steps are: propose"
    ]


def test_a_source_of_the_wrong_kind_names_the_earlier_collect_steps() -> None:
    assert problems("source_wrong_kind") == [
        "source_wrong_kind.yaml:47:13: steps[4].source: 'situation' is a speak step; the "
        "source of a respond step must be a collect step; earlier collect steps are: "
        "propose, questions"
    ]


def test_an_undeclared_actor_suggests_the_role_meant() -> None:
    assert problems("undeclared_actor") == [
        "undeclared_actor.yaml:40:14: steps[3].actors[0]: 'advisors' is not a declared role; "
        "did you mean 'advisor'? actors are: case_owner, advisor, everyone"
    ]


def test_a_role_chosen_by_vote_cannot_act_before_the_vote() -> None:
    assert problems("vote_role_before_vote") == [
        "vote_role_before_vote.yaml:20:14: steps[0].actors[0]: 'case_owner' acts here, but is "
        "only chosen by the vote of step 'choose' (steps[1]); move this step after the vote or "
        "choose other actors"
    ]


def test_a_role_chosen_by_vote_needs_a_vote() -> None:
    assert problems("vote_role_without_vote") == [
        "vote_role_without_vote.yaml:11:13: roles[0].assign: role 'case_owner' is assigned by "
        "vote, but no vote step has assigns_role: case_owner"
    ]


def test_a_vote_assigns_only_a_role_with_assign_vote() -> None:
    assert problems("assigns_role_not_vote") == [
        "assigns_role_not_vote.yaml:28:19: steps[1].assigns_role: role 'case_owner' has "
        "assign: rotation; a vote can only assign a role with assign: vote"
    ]


def test_answers_need_a_case_owner_role() -> None:
    assert problems("no_case_owner") == [
        "no_case_owner.yaml:39:11: steps[4].kind: a respond step is done by the case owner; "
        "declare a role with id: case_owner"
    ]


def test_minimums_may_not_exceed_maximums() -> None:
    assert problems("bounds") == [
        "bounds.yaml:7:27: group_size.max: max (3) is smaller than min (6)",
        "bounds.yaml:41:21: steps[3].min_per_person: min_per_person (4) is larger than "
        "max_per_person (2)",
    ]


def test_only_one_role_takes_everyone_else() -> None:
    assert problems("two_everyone_else") == [
        "two_everyone_else.yaml:17:13: roles[2].assign: role 'advisor' already takes everyone "
        "else; only one role can"
    ]


def test_label_ids_are_unique() -> None:
    assert problems("labels") == [
        "labels.yaml:50:14: steps[4].labels[1].id: label id 'warm' is already used by labels[0]"
    ]


def test_aliases_differ_from_the_id_and_from_each_other() -> None:
    assert problems("aliases") == [
        "aliases.yaml:4:11: aliases[0]: 'mini' is the id itself; an alias is another name",
        "aliases.yaml:4:24: aliases[2]: alias 'klein' is already aliases[1]",
    ]


def test_every_problem_is_listed_not_only_the_first() -> None:
    assert problems("many_problems") == [
        "many_problems.yaml:27:13: steps[1].source: 'proposal' is not an earlier step; did you "
        "mean 'propose'? earlier steps are: propose",
        "many_problems.yaml:40:14: steps[3].actors[0]: 'adviser' is not a declared role; did "
        "you mean 'advisor'? actors are: case_owner, advisor, everyone",
        "many_problems.yaml:42:9: steps[4].id: step id 'situation' is already used by steps[2]",
    ]


MINI = (VALID / "mini.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    actors: [advisor]\n",
            "    actors: [advisor]\n    visibility: secret\n",
            [
                "edited.yaml:41:17: steps[3].visibility: 'secret' is not a visibility; "
                "visibilities are: open, hidden, case_owner",
            ],
        ),
        (
            "group_size: {min: 3, max: 6}\n",
            "group_size: {min: 3, max: 6}\nmodes: [live, sync]\n",
            [
                "edited.yaml:8:15: modes[1]: 'sync' is not a mode; did you mean 'async'? "
                "modes are: live, async",
            ],
        ),
        (
            "    actors: [advisor]\n",
            "    actors: [advisor]\n    anonymous: ja\n",
            [
                "edited.yaml:41:16: steps[3].anonymous: expected true or false, got 'ja'",
            ],
        ),
        (
            "group_size: {min: 3, max: 6}",
            "group_size: 3-6",
            [
                "edited.yaml:7:13: group_size: expected min: and max:, such as {min: 4, max: 8}, "
                "got '3-6'",
            ],
        ),
        (
            "roles:\n",
            "roles: []\nold_roles:\n",
            [
                "edited.yaml:8:8: roles: the list is empty; give at least one: the roles of the "
                "protocol (case owner, facilitator, ...)",
                "edited.yaml:9:1: old_roles: unknown field 'old_roles'; did you mean 'roles'? "
                f"fields of a protocol are: {', '.join(Protocol.model_fields)}",
            ],
        ),
    ],
    ids=["visibility", "mode", "boolean", "group_size", "empty_list_and_unknown_field"],
)
def test_other_shape_mistakes_are_explained(old: str, new: str, expected: list[str]) -> None:
    assert old in MINI
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(MINI.replace(old, new, 1), "edited.yaml")
    assert [str(problem) for problem in caught.value.problems] == expected


def test_what_a_step_shows_must_be_an_earlier_step_named_once() -> None:
    assert problems("shows_not_earlier") == [
        "shows_not_earlier.yaml:35:21: steps[2].shows[1]: 'questions' comes later (steps[3]); "
        "a step can only show what earlier steps brought; earlier steps it can show are: "
        "propose, choose",
        "shows_not_earlier.yaml:49:13: steps[4].shows[0]: 'situaton' is not an earlier step; "
        "did you mean 'situation'? earlier steps it can show are: propose, choose, situation, "
        "questions",
        "shows_not_earlier.yaml:49:23: steps[4].shows[1]: a step shows its own items anyway; "
        "name earlier steps only; earlier steps it can show are: propose, choose, situation, "
        "questions",
        "shows_not_earlier.yaml:49:43: steps[4].shows[3]: 'situation' is already shows[2]",
    ]
