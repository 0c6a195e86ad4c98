"""Check the shape of a protocol with the schema, and say what is wrong as a teacher would.

pydantic reports `Field required` at `('steps', 3, 'vote', 'prompt')`; an
author needs "missing 'prompt': what the bot tells the group at this step" at
`steps[3]`. This module walks each error's `loc` through the schema's types to
learn which model it is in (and to drop the union tag, which is no key in the
file), then rewrites the message.
"""

from __future__ import annotations

import datetime
import re
import types
import unicodedata
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from protocols.problems import Finding, Loc
from protocols.schema import STEP_KINDS, GroupSize, Label, Protocol, Role, Text
from protocols.wording import closest, did_you_mean, listing

# What a required field is for, said to someone who left it out. Keyed by
# (model, field) where a name means different things in different models.
REQUIRED_FIELD_HELP: dict[tuple[str, str] | str, str] = {
    ("Protocol", "id"): "a short name of lowercase letters, digits and _, such as incident",
    ("Role", "id"): "a short name for the role, used in the actors: of steps",
    ("Label", "id"): "a short name for the label, such as warm",
    "id": "a short name for the step, used in the source: of later steps",
    "version": "the version of the protocol, a whole number from 1; raise it when the steps change",
    ("Protocol", "title"): "the name of the protocol, in Dutch and English (nl: and en:)",
    "title": "the title of the step, in Dutch and English (nl: and en:)",
    "summary": "a sentence or two on what the method is for, in Dutch and English",
    "group_size": "how many people take part, such as {min: 4, max: 8}",
    "roles": "the roles of the protocol (case owner, facilitator, ...)",
    "steps": "the steps of the protocol, in order",
    "min": "the smallest number of people",
    "max": "the largest number of people",
    "name": "the name shown to the team, in Dutch and English (nl: and en:)",
    "assign": "how the role gets its holder: starter, volunteer, rotation, vote or everyone_else",
    "prompt": "what the bot tells the group at this step, in Dutch and English",
    "actors": "who acts in this step: role ids or everyone, such as [everyone]",
    "minutes": "how long the step takes in a live round, in minutes",
    "kind": "what happens in the step; kinds are: " + listing(STEP_KINDS),
    "source": "the id of an earlier collect step whose items this step uses",
}

# Fields whose value is one of a fixed set: how to name one value and the set.
_CHOICE_WORDS: dict[str, tuple[str, str]] = {
    "kind": ("a step kind", "kinds are"),
    "assign": ("a way to assign a role", "ways are"),
    "visibility": ("a visibility", "visibilities are"),
    "modes": ("a mode", "modes are"),
}

_LANGUAGE_NAMES = {"nl": "Dutch", "en": "English"}


def _step_models() -> dict[str, type[BaseModel]]:
    annotation = Protocol.model_fields["steps"].annotation
    (step,) = get_args(annotation)
    return {_tag(model): model for model in get_args(_unwrap(step)) if _is_model(model)}


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _tag(model: type[BaseModel]) -> str:
    (tag,) = get_args(model.model_fields["kind"].annotation)
    return str(tag)


def _unwrap(tp: Any) -> Any:
    """Strip `Annotated[...]` and `X | None` down to the type that holds the fields."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
            continue
        if get_origin(tp) in (Union, types.UnionType):
            members = [arg for arg in get_args(tp) if arg is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp


STEP_MODELS = _step_models()


def _walk(loc: tuple[str | int, ...]) -> tuple[Loc, Any]:
    """The path of `loc` in the file (union tags dropped) and the type found there."""
    path: list[str | int] = []
    tp: Any = Protocol
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int) and get_origin(tp) is list:
            path.append(part)
            tp = get_args(tp)[0]
        elif get_origin(tp) in (Union, types.UnionType) and part in STEP_MODELS:
            tp = STEP_MODELS[str(part)]
        elif _is_model(tp) and isinstance(part, str):
            path.append(part)
            known = tp.model_fields.get(part)
            tp = known.annotation if known else Any
        else:
            path.append(part)
            tp = Any
    return tuple(path), _unwrap(tp)


def _describe_model(model: type[BaseModel]) -> str:
    if "kind" in model.model_fields:
        tag = _tag(model)
        return f"{'an' if tag[0] in 'aeiou' else 'a'} {tag} step"
    names: dict[type[BaseModel], str] = {
        Protocol: "a protocol",
        Role: "a role",
        Label: "a label",
        GroupSize: "group_size",
        Text: "a text",
    }
    return names.get(model, model.__name__)


def _field_names(model: type[BaseModel]) -> list[str]:
    names = list(model.model_fields)
    # Authors think of a step as its id and kind first.
    front = [name for name in ("id", "kind") if name in names]
    return front + [name for name in names if name not in front]


def field_help(model: Any, name: str) -> str | None:
    """What the required field `name` of `model` is for, told to someone who left it out."""
    owner = model.__name__ if _is_model(model) else ""
    return REQUIRED_FIELD_HELP.get((owner, name)) or REQUIRED_FIELD_HELP.get(name)


def _missing(parent: Loc, parent_type: Any, name: str) -> Finding:
    if parent_type is Text:
        language = _LANGUAGE_NAMES.get(name, name)
        return Finding(
            parent,
            f"the {language} text ({name}:) is missing; every text needs nl: and en:",
            at_key=True,
        )
    help_text = field_help(parent_type, name)
    message = f"missing '{name}'" + (f": {help_text}" if help_text else "")
    return Finding(parent, message, at_key=True)


def _kinds_with(name: str) -> list[str]:
    return [tag for tag, model in STEP_MODELS.items() if name in model.model_fields]


def _meant(name: str, parent_type: Any) -> str | None:
    """The field an unknown field was probably meant to be, unless it is another kind's."""
    if not _is_model(parent_type) or ("kind" in parent_type.model_fields and _kinds_with(name)):
        return None
    return closest(name, parent_type.model_fields)


def _unknown(loc: Loc, parent_type: Any) -> Finding:
    name = str(loc[-1])
    if not _is_model(parent_type):
        return Finding(loc, f"unknown field '{name}'", at_key=True)
    if parent_type is Text:
        return Finding(
            loc,
            f"unknown field '{name}'; a text has nl: (Dutch) and en: (English), nothing else",
            at_key=True,
        )
    fields = _field_names(parent_type)
    message = f"unknown field '{name}'; "
    suggestion = _meant(name, parent_type)
    elsewhere = _kinds_with(name) if "kind" in parent_type.model_fields else []
    if elsewhere:
        message += f"only {listing(elsewhere)} steps have {name}:; "
    elif suggestion:
        message += f"did you mean '{suggestion}'? "
    message += f"fields of {_describe_model(parent_type)} are: {listing(fields)}"
    return Finding(loc, message, at_key=True)


def _choice(path: Loc, choices: Sequence[str], value: Any) -> Finding:
    field = next((str(part) for part in reversed(path) if isinstance(part, str)), "")
    noun, plural = _CHOICE_WORDS.get(field, ("allowed here", "choose from"))
    return Finding(
        path,
        f"'{value}' is not {noun}; {did_you_mean(str(value), choices)}{plural}: {listing(choices)}",
    )


def _got(value: Any, raw: str | None) -> str:
    """How to name a wrong value in a message: as written in the file where we can."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{raw}', which YAML reads as {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"the number {raw or value}"
    if isinstance(value, datetime.date):
        return f"'{raw}', which YAML reads as a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (name: value lines)"
    return f"'{value}'"


def _expected_text(path: Loc, value: Any, raw: str | None) -> Finding:
    if path and path[-1] in _LANGUAGE_NAMES and value is None:
        return Finding(path, f"the {_LANGUAGE_NAMES[str(path[-1])]} text is empty")
    message = f"expected a text, got {_got(value, raw)}"
    if raw is not None and value is not None:
        message += f"; put it in quotes: '{raw}'"
    return Finding(path, message)


def _expected_model(path: Loc, model: Any, value: Any, raw: str | None) -> Finding:
    got = _got(value, raw)
    if not _is_model(model):
        # The step union: pydantic could not even look for a kind.
        return Finding(path, f"expected a step (id:, kind:, title:, ... lines), got {got}")
    if model is Text:
        example = raw if isinstance(value, str) and raw else "..."
        if any(mark in example for mark in ",:?#{}[]"):
            example = f'"{example}"' if "'" in example else f"'{example}'"
        return Finding(
            path,
            f"expected a text in Dutch and English, got {got}; "
            f"write it as {{nl: {example}, en: ...}}",
        )
    if model is GroupSize:
        return Finding(path, f"expected min: and max:, such as {{min: 4, max: 8}}, got {got}")
    return Finding(path, f"expected {_describe_model(model)} (name: value lines), got {got}")


def _suggest_id(value: str) -> str | None:
    plain = unicodedata.normalize("NFKD", value)
    plain = "".join(char for char in plain if not unicodedata.combining(char)).lower()
    candidate = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    candidate = re.sub(r"^[^a-z]+", "", candidate)[:40]
    return candidate or None


def _explain(error: ErrorDetails, raw_at: Callable[[Loc], str | None]) -> Finding:
    kind = error["type"]
    path, tp = _walk(error["loc"])
    value = error.get("input")
    ctx = error.get("ctx", {})
    raw = raw_at(path)

    if kind == "missing":
        parent, parent_type = _walk(error["loc"][:-1])
        return _missing(parent, parent_type, str(path[-1]))
    if kind == "extra_forbidden":
        _, parent_type = _walk(error["loc"][:-1])
        return _unknown(path, parent_type)
    if kind == "union_tag_invalid":
        kind_loc = (*path, "kind")
        shown = raw_at(kind_loc) or ctx.get("tag", "")
        return _choice(kind_loc, STEP_KINDS, shown)
    if kind == "union_tag_not_found":
        return Finding(path, f"missing 'kind': {REQUIRED_FIELD_HELP['kind']}", at_key=True)
    if kind == "literal_error":
        return _choice(path, [str(arg) for arg in get_args(tp)], raw if raw is not None else value)
    if kind == "string_type":
        return _expected_text(path, value, raw)
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _expected_model(path, tp, value, raw)
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return Finding(path, f"expected a whole number, got {_got(value, raw)}")
    if kind in {"bool_type", "bool_parsing"}:
        return Finding(path, f"expected true or false, got {_got(value, raw)}")
    if kind == "list_type":
        message = f"expected a list, got {_got(value, raw)}"
        if isinstance(value, str):
            message += f"; write it as [{value}]"
        return Finding(path, message)
    if kind == "string_too_short":
        if path and path[-1] in _LANGUAGE_NAMES:
            return Finding(path, f"the {_LANGUAGE_NAMES[str(path[-1])]} text is empty")
        return Finding(path, "must not be empty")
    if kind == "string_too_long":
        return Finding(
            path,
            f"'{value}' is too long: {len(str(value))} characters, "
            f"at most {ctx['max_length']} allowed",
        )
    if kind == "string_pattern_mismatch":
        suggestion = _suggest_id(str(value))
        message = (
            f"'{value}' is not a valid id; an id has lowercase letters, digits and _, "
            "and starts with a letter"
        )
        if suggestion:
            message += f", such as '{suggestion}'"
        return Finding(path, message)
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        message = "the list is empty" if not value else f"needs at least {least} items"
        parent, parent_type = _walk(error["loc"][:-1])
        help_text = field_help(parent_type, str(path[-1])) if path else None
        if help_text:
            message += f"; give at least {'one' if least == 1 else least}: {help_text}"
        return Finding(path, message)
    if kind == "too_long":
        return Finding(path, f"has too many items: at most {ctx.get('max_length')}")
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return Finding(path, _out_of_range(kind, ctx, value))
    return Finding(path, error["msg"][:1].lower() + error["msg"][1:])


def _out_of_range(kind: str, ctx: dict[str, Any], value: Any) -> str:
    # Every bound in the schema is a whole number, so "> 0" reads as "at least 1".
    if kind == "greater_than":
        return f"must be at least {ctx['gt'] + 1}, got {value}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}, got {value}"
    if kind == "less_than":
        return f"must be at most {ctx['lt'] - 1}, got {value}"
    return f"must be at most {ctx['le']}, got {value}"


def validate_shape(
    data: Any, raw_at: Callable[[Loc], str | None] = lambda loc: None
) -> Protocol | list[Finding]:
    """The protocol, or every shape problem in it.

    `raw_at` gives a scalar as written in the file, so a message can quote `no`
    rather than the `False` that YAML made of it.
    """
    try:
        return Protocol.model_validate(data)
    except ValidationError as error:
        details = error.errors(include_url=False)
    # A misspelt field is reported once, as unknown with a did-you-mean, not
    # also as the missing field it was meant to be.
    meant: set[Loc] = set()
    for detail in details:
        if detail["type"] == "extra_forbidden":
            parent, parent_type = _walk(detail["loc"][:-1])
            suggestion = _meant(str(detail["loc"][-1]), parent_type)
            if suggestion:
                meant.add((*parent, suggestion))
    return [
        _explain(detail, raw_at)
        for detail in details
        if not (detail["type"] == "missing" and _walk(detail["loc"])[0] in meant)
    ]
