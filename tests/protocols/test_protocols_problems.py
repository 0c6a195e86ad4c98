"""Problems as values, the help behind "missing" messages, and robustness against any edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from protocols.loader import parse_protocol
from protocols.problems import Problem, ProtocolError, format_path
from protocols.schema import GroupSize, Label, Protocol, Role
from protocols.shape import STEP_MODELS, field_help

CHECK_IN = (Path(__file__).parent / "fixtures" / "valid" / "check_in.yaml").read_text(
    encoding="utf-8"
)


def test_a_path_reads_as_in_the_file() -> None:
    assert format_path(("steps", 4, "source")) == "steps[4].source"
    assert format_path(("steps", 4, "actors", 0)) == "steps[4].actors[0]"
    assert format_path(("title", "en")) == "title.en"
    assert format_path(()) == ""


def test_a_problem_prints_as_file_line_column_path_message() -> None:
    problem = Problem("my.yaml", 41, 13, "steps[4].source", "'questoins' is not an earlier step")
    assert str(problem) == "my.yaml:41:13: steps[4].source: 'questoins' is not an earlier step"
    assert (
        str(Problem("my.yaml", 1, 1, "", "the file is empty")) == "my.yaml:1:1: the file is empty"
    )


def test_a_protocol_error_carries_its_problems_in_file_order_once() -> None:
    later = Problem("a.yaml", 9, 1, "steps", "later")
    earlier = Problem("a.yaml", 2, 5, "id", "earlier")
    error = ProtocolError([later, earlier, later])
    assert error.problems == (earlier, later)
    assert str(error) == "a.yaml:2:5: id: earlier\na.yaml:9:1: steps: later"


def test_a_protocol_error_without_problems_is_a_bug() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        ProtocolError([])


REQUIRED_FIELDS = [
    (model, name)
    for model in (Protocol, GroupSize, Role, Label, *STEP_MODELS.values())
    for name, field in model.model_fields.items()
    if field.is_required()
]


@pytest.mark.parametrize(
    ("model", "name"),
    REQUIRED_FIELDS,
    ids=[f"{model.__name__}.{name}" for model, name in REQUIRED_FIELDS],
)
def test_every_required_field_says_what_it_is_for(model: type[BaseModel], name: str) -> None:
    assert field_help(model, name)


_EDITS = st.sampled_from(["delete", "duplicate", "indent", "dedent", "insert"])
_NOISE = st.text(alphabet=" -:[]{},'\"#?&*!|>\tabc01\n", max_size=12)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_edit_gives_a_protocol_or_problems_inside_the_file(data: st.DataObject) -> None:
    lines = CHECK_IN.splitlines(keepends=True)
    index = data.draw(st.integers(0, len(lines) - 1), label="line")
    edit = data.draw(_EDITS, label="edit")
    line = lines[index]
    if edit == "delete":
        lines[index] = ""
    elif edit == "duplicate":
        lines[index] = line + line
    elif edit == "indent":
        lines[index] = "  " + line
    elif edit == "dedent":
        lines[index] = line.removeprefix("  ")
    else:
        at = data.draw(st.integers(0, len(line)), label="column")
        lines[index] = line[:at] + data.draw(_NOISE, label="text") + line[at:]
    text = "".join(lines)
    try:
        parse_protocol(text, "edited.yaml")
    except ProtocolError as error:
        last_line = text.count("\n") + 1
        for problem in error.problems:
            assert problem.file == "edited.yaml"
            assert 1 <= problem.line <= last_line
            assert problem.column >= 1
            assert problem.message
