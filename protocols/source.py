"""A protocol file's YAML as plain data, with the line and column of every node.

PyYAML's `safe_load` forgets where things were and silently keeps the last of
two equal keys. Composing the nodes ourselves keeps each node's position, so
every problem can name a line, and shows duplicate keys: two `prompt:` in one
step, or a step whose `- ` was forgotten so it merged into the one above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from protocols.problems import Finding, Loc, Problem, ProtocolError, format_path

# Likely causes of PyYAML's terse syntax errors, keyed by a part of its message.
_SYNTAX_HINTS = {
    "found character '\\t'": "indent with spaces, not tabs",
    "mapping values are not allowed here": (
        "a text that contains ': ' needs quotes around it, or a line is indented too far"
    ),
    "could not find expected ':'": (
        "each line of a mapping is 'name: value'; a text continued on the next line "
        "must be indented further, or use 'name: >' for a long text"
    ),
    "expected <block end>, but found": "check the indentation of this line against the lines above",
    "expected a single document": "a protocol file holds one document; remove the '---' line",
    "found undefined alias": "an alias (*name) needs an anchor (&name) earlier in the file",
    "while parsing a flow": "inside {...} or [...], put a text that contains , : ? or # in quotes",
}

_MERGE_TAG = "tag:yaml.org,2002:merge"

_WHAT_A_PROTOCOL_IS = (
    "a protocol file is a mapping of fields, starting with id:, version:, title: and summary:"
)


@dataclass(frozen=True)
class _Spot:
    line: int
    column: int


def _spot(node: Node) -> _Spot:
    return _Spot(node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass(frozen=True)
class Document:
    """The data of one YAML file and where each value (and each key) stands in it."""

    filename: str
    data: dict[str, Any]
    # Problems found while reading that do not stop validation (duplicate keys).
    problems: tuple[Problem, ...]
    # Paths those problems explain; the schema's view of them would only repeat it.
    explained: tuple[Loc, ...]
    values: dict[Loc, _Spot] = field(repr=False)
    keys: dict[Loc, _Spot] = field(repr=False)
    raws: dict[Loc, str] = field(repr=False)

    def position(self, loc: Loc, *, at_key: bool = False) -> tuple[int, int]:
        """Line and column of `loc`, or of its nearest enclosing node that exists."""
        if at_key and loc in self.keys:
            spot = self.keys[loc]
            return spot.line, spot.column
        for end in range(len(loc), -1, -1):
            found = self.values.get(loc[:end])
            if found is not None:
                return found.line, found.column
        return 1, 1

    def raw(self, loc: Loc) -> str | None:
        """The scalar at `loc` as written, before YAML gave it a type (`no`, not False)."""
        return self.raws.get(loc)

    def place(self, finding: Finding) -> Problem:
        line, column = self.position(finding.loc, at_key=finding.at_key)
        return Problem(self.filename, line, column, format_path(finding.loc), finding.message)


def _syntax_problem(error: yaml.MarkedYAMLError, filename: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = f"YAML syntax error: {error.problem or error.context}"
    if error.context and error.problem and error.context_mark:
        message += f" ({error.context} at line {error.context_mark.line + 1})"
    hints = [hint for key, hint in _SYNTAX_HINTS.items() if key in message]
    if hints:
        message += "; " + "; ".join(hints)
    return Problem(filename, line, column, "", message)


def _kind_of(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, ScalarNode):
        return f"the single value '{node.value}'"
    return "a mapping"


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, noting positions on the way."""

    def __init__(self, loader: yaml.SafeLoader, filename: str) -> None:
        self._loader = loader
        self.filename = filename
        self.problems: list[Problem] = []
        self.values: dict[Loc, _Spot] = {}
        self.keys: dict[Loc, _Spot] = {}
        self.raws: dict[Loc, str] = {}
        self.explained: list[Loc] = []
        # Nodes being built right now: an alias to one of them is a cycle.
        self._building: set[int] = set()

    def _problem(self, node: Node, loc: Loc, message: str) -> None:
        spot = _spot(node)
        self.problems.append(
            Problem(self.filename, spot.line, spot.column, format_path(loc), message)
        )

    def build(self, node: Node, loc: Loc) -> Any:
        self.values[loc] = _spot(node)
        if isinstance(node, ScalarNode):
            return self._scalar(node, loc)
        if id(node) in self._building:
            self._problem(node, loc, "this alias refers to the node that contains it")
            return None
        self._building.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.build(item, (*loc, index)) for index, item in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            return self._mapping(node, loc)
        finally:
            self._building.discard(id(node))

    def _scalar(self, node: ScalarNode, loc: Loc) -> Any:
        self.raws[loc] = node.value
        try:
            return self._loader.construct_object(node)
        except yaml.constructor.ConstructorError:
            self._problem(node, loc, f"unknown YAML tag {node.tag}; remove it")
            return node.value

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        repeats: list[tuple[Node, Node]] = []
        previous: tuple[Node, Node] | None = None
        for key_node, value_node in node.value:
            lost_comma = node.flow_style and _lost_comma(key_node, value_node)
            before, previous = previous, (key_node, value_node)
            if key_node.tag == _MERGE_TAG:
                self._problem(
                    key_node, loc, "merge keys (<<) are not supported here; write the fields out"
                )
                continue
            if not isinstance(key_node, ScalarNode):
                self._problem(key_node, loc, "a key must be a plain name, such as 'title'")
                continue
            # Keys stay as written: YAML would read `on:` or `no:` as a boolean.
            key = key_node.value
            key_loc = (*loc, key)
            if lost_comma:
                self._problem(key_node, key_loc, _comma_message(key_node, before))
                self.explained.append(key_loc)
            elif key in first_seen:
                repeats.append((key_node, first_seen[key]))
            first_seen[key] = key_node
            self.keys[key_loc] = _spot(key_node)
            result[key] = self.build(value_node, key_loc)
        self._report_repeats(repeats, loc)
        return result

    def _report_repeats(self, repeats: list[tuple[Node, Node]], loc: Loc) -> None:
        in_list = bool(loc) and isinstance(loc[-1], int)
        keys = {str(key.value) for key, _ in repeats}
        if in_list and ("id" in keys or len(keys) > 1):
            # Two items merged into one because a '- ' is missing: every field
            # repeats, and the schema's complaints about the mix would only
            # distract. One problem, at the first repeat, says what happened.
            key, first = repeats[0]
            self._problem(
                key,
                (*loc, key.value),
                f"duplicate key '{key.value}' (first at line {_spot(first).line}): two items "
                "seem to run together here; did you forget the '- ' that starts a new item?",
            )
            self.explained.append(loc)
            return
        for key, first in repeats:
            self._problem(
                key,
                (*loc, key.value),
                f"duplicate key '{key.value}' (first at line {_spot(first).line}); "
                "YAML would silently keep only the last one",
            )


def _lost_comma(key: Node, value: Node) -> bool:
    """`{nl: Je vraag, scherper}`: YAML reads `scherper` as a key with no value."""
    return (
        isinstance(value, ScalarNode)
        and value.value == ""
        and value.style is None
        and value.start_mark.index == key.end_mark.index
    )


def _comma_message(key: Node, previous: tuple[Node, Node] | None) -> str:
    message = (
        f"'{key.value}' has no value: inside {{...}} a comma separates fields; "
        "put a text that contains a comma in quotes"
    )
    if previous and isinstance(previous[0], ScalarNode) and isinstance(previous[1], ScalarNode):
        text = f"{previous[1].value}, {key.value}"
        quote = '"' if "'" in text else "'"
        message += f", such as {previous[0].value}: {quote}{text}{quote}"
    return message


def read_yaml(text: str, filename: str) -> Document:
    """Parse `text`; a syntax error, an empty file or a non-mapping raises `ProtocolError`."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise ProtocolError(
                [Problem(filename, 1, 1, "", "the file is empty; " + _WHAT_A_PROTOCOL_IS)]
            )
        if not isinstance(root, MappingNode):
            spot = _spot(root)
            raise ProtocolError(
                [
                    Problem(
                        filename,
                        spot.line,
                        spot.column,
                        "",
                        f"this file holds {_kind_of(root)}; {_WHAT_A_PROTOCOL_IS}",
                    )
                ]
            )
        builder = _Builder(loader, filename)
        data = builder.build(root, ())
    except yaml.MarkedYAMLError as error:
        raise ProtocolError([_syntax_problem(error, filename)]) from None
    finally:
        loader.dispose()
    return Document(
        filename,
        data,
        tuple(builder.problems),
        tuple(builder.explained),
        builder.values,
        builder.keys,
        builder.raws,
    )
