"""`dialoog protocols list / show ID / validate PATH...`: the protocol library in a terminal.

The command's own words follow --lang as the protocol texts do; problems found
by `validate` are in English, the language of the YAML field names they quote.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.config import Settings
from protocols.loader import (
    Library,
    ProtocolFile,
    UnknownProtocol,
    builtin_files,
    load_library,
    protocol_paths,
    read_protocol_file,
)
from protocols.problems import Problem, ProtocolError
from protocols.schema import EVERYONE, LANGUAGES, Language, Protocol, Role, Step, VoteStep
from protocols.sector import for_sector

# key -> (Dutch, English)
_WORDS: dict[str, tuple[str, str]] = {
    "id": ("ID", "ID"),
    "title": ("TITEL", "TITLE"),
    "live": ("LIVE", "LIVE"),
    "modes": ("VORMEN", "MODES"),
    "from": ("BRON", "FROM"),
    "also": ("ook", "also"),
    "group": ("Groep: {min} tot {max} mensen", "Group: {min} to {max} people"),
    "duration": (
        "Duur: {minutes} minuten live, {hours} asynchroon",
        "Duration: {minutes} minutes live, {hours} asynchronously",
    ),
    "modes_line": ("Vormen: {modes}", "Modes: {modes}"),
    "roles": ("Rollen", "Roles"),
    "ground_rules": ("Spelregels", "Ground rules"),
    "steps": ("Stappen", "Steps"),
    "optional": ("niet verplicht", "optional"),
    "shows": ("Laat opnieuw zien: {steps}", "Shows again: {steps}"),
    "everyone": ("iedereen", "everyone"),
    "hours": ("{n} uur", "{n} h"),
    "days": ("{days} dagen", "{days} days"),
    "days_hours": ("{days} dagen en {hours} uur", "{days} days and {hours} hours"),
    "minutes": ("{n} min", "{n} min"),
    "live_mode": ("live", "live"),
    "async_mode": ("asynchroon", "asynchronous"),
    "starter": ("wie de ronde start", "whoever starts the round"),
    "volunteer": ("een vrijwilliger", "a volunteer"),
    "rotation": (
        "op volgorde: wie het langst geleden aan de beurt was",
        "in turn: whoever held it least recently",
    ),
    "vote": (
        "gekozen: de schrijver van wat wint in stap {number} ({title})",
        "chosen: the author of what wins in step {number} ({title})",
    ),
    "vote_unused": ("gekozen door een stemming", "chosen by a vote"),
    "everyone_else": ("alle anderen", "everyone else"),
    "instruction": ("uitleg", "instruction"),
    "speak": ("spreken", "speak"),
    "collect": ("verzamelen", "collect"),
    "vote_kind": ("stemmen", "vote"),
    "respond": ("beantwoorden", "respond"),
    "pick": ("kiezen", "pick"),
    "round_robin": ("rondje", "round robin"),
    "actions": ("acties", "actions"),
    "reflect": ("terugblik", "reflect"),
}


def _word(key: str, language: Language, **params: object) -> str:
    dutch, english = _WORDS[key]
    return (dutch if language == "nl" else english).format(**params)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `protocols` and its subcommands to the `dialoog` parser."""
    group = subparsers.add_parser(
        "protocols",
        help="list, show and validate peer-learning protocols",
        description="The protocol library: the built-in protocols plus those in "
        "DIALOOG_PROTOCOLS_DIR.",
    )
    commands = group.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="every protocol with its live duration")
    _add_language(listing)
    listing.set_defaults(run=run_list)

    show = commands.add_parser("show", help="walk through one protocol, step by step")
    show.add_argument("id", metavar="ID", help="id or alias of the protocol")
    _add_language(show)
    show.set_defaults(run=run_show)

    validate = commands.add_parser(
        "validate", help="check protocol files and list every problem in them"
    )
    validate.add_argument(
        "paths", metavar="PATH", nargs="+", type=Path, help="a protocol file or a folder of them"
    )
    validate.set_defaults(run=run_validate)


def _add_language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="nl",
        help="language of the protocol texts (default: nl)",
    )


def _load() -> Library | None:
    """The library as a server would load it, or None after saying why not."""
    try:
        folder = Settings().protocols_dir
    except ValidationError as error:
        print(f"dialoog: the configuration is not valid:\n{error}", file=sys.stderr)
        return None
    try:
        return load_library(Path(folder) if folder else None)
    except NotADirectoryError as error:
        print(f"dialoog: DIALOOG_PROTOCOLS_DIR: {error}", file=sys.stderr)
    except ProtocolError as error:
        print(f"dialoog: {len(error.problems)} problem(s) in the protocol files:", file=sys.stderr)
        for problem in error.problems:
            print(problem, file=sys.stderr)
    return None


def _width() -> int:
    return max(40, min(shutil.get_terminal_size().columns, 120))


def _modes(protocol: Protocol, language: Language) -> str:
    return ", ".join(_word(f"{mode}_mode", language) for mode in protocol.modes)


def run_list(args: argparse.Namespace) -> int:
    library = _load()
    if library is None:
        return 1
    language: Language = args.lang
    rows = [
        (
            file.protocol.id,
            file.protocol.title.get(language),
            _word("minutes", language, n=file.protocol.live_minutes),
            _modes(file.protocol, language),
            "" if file.builtin else file.origin,
        )
        for file in library.files
    ]
    header = tuple(_word(key, language) for key in ("id", "title", "live", "modes", "from"))
    if not any(row[4] for row in rows):
        header = (*header[:4], "")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(4)]
    for row in (header, *rows):
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
        print("  ".join([*cells, row[4]]).rstrip())
    return 0


def _hours(hours: int, language: Language) -> str:
    if hours < 48:
        return _word("hours", language, n=hours)
    days, rest = divmod(hours, 24)
    if rest:
        return _word("days_hours", language, days=days, hours=rest)
    return _word("days", language, days=days)


def _actors(step: Step, protocol: Protocol, language: Language) -> str:
    names = []
    for actor in step.actors:
        role = protocol.role(actor)
        if actor == EVERYONE:
            names.append(_word("everyone", language))
        else:
            names.append(role.name.get(language) if role else actor)
    return ", ".join(names)


def _assignment(role: Role, protocol: Protocol, language: Language) -> str:
    if role.assign != "vote":
        return _word(role.assign, language)
    for number, step in enumerate(protocol.steps, start=1):
        if isinstance(step, VoteStep) and step.assigns_role == role.id:
            return _word("vote", language, number=number, title=step.title.get(language))
    return _word("vote_unused", language)


def describe(protocol: Protocol, language: Language, width: int) -> str:
    """A readable walkthrough of `protocol` in `language`, wrapped to `width` columns."""
    lines: list[str] = []
    protocol = for_sector(protocol, None)

    def para(text: str, indent: str = "", first: str | None = None) -> None:
        lines.extend(
            textwrap.wrap(
                " ".join(text.split()),
                width=width,
                initial_indent=indent if first is None else first,
                subsequent_indent=indent,
            )
            or [indent.rstrip()]
        )

    title = protocol.title.get(language)
    lines += [title, "=" * min(len(title), width)]
    names = ", ".join(protocol.aliases)
    lines.append(protocol.id + (f"  ({_word('also', language)}: {names})" if names else ""))
    lines.append("")
    para(protocol.summary.get(language))
    lines.append("")
    size = protocol.group_size
    lines.append(_word("group", language, min=size.min, max=size.max))
    para(
        _word(
            "duration",
            language,
            minutes=protocol.live_minutes,
            hours=_hours(protocol.async_hours, language),
        )
    )
    lines.append(_word("modes_line", language, modes=_modes(protocol, language)))

    lines += ["", _word("roles", language)]
    for role in protocol.roles:
        how = _assignment(role, protocol, language)
        if not role.required:
            how += f"; {_word('optional', language)}"
        para(f"{role.name.get(language)} ({role.id}): {how}", "    ", "  - ")
        if role.description:
            para(role.description.get(language), "    ")

    if protocol.ground_rules:
        lines += ["", _word("ground_rules", language)]
        for rule in protocol.ground_rules:
            para(rule.get(language), "    ", "  - ")

    lines += ["", _word("steps", language)]
    number_width = len(str(len(protocol.steps)))
    for number, step in enumerate(protocol.steps, start=1):
        indent = " " * (number_width + 4)
        kind = _word("vote_kind" if step.kind == "vote" else step.kind, language)
        lines.append("")
        para(step.title.get(language), indent, f"  {number:>{number_width}}. ")
        facts = [
            kind,
            _actors(step, protocol, language),
            _word("minutes", language, n=step.minutes),
            _hours(step.hours, language),
        ]
        para(" · ".join(facts), indent)
        para(step.prompt.get(language), indent)
        if step.shows:
            shown = ", ".join(
                protocol.steps[protocol.step_index(shown_id)].title.get(language)
                for shown_id in step.shows
            )
            para(_word("shows", language, steps=shown), indent)
    return "\n".join(lines)


def run_show(args: argparse.Namespace) -> int:
    library = _load()
    if library is None:
        return 1
    try:
        protocol = library[args.id]
    except UnknownProtocol as error:
        print(f"dialoog: {error}", file=sys.stderr)
        return 1
    print(describe(protocol, args.lang, _width()))
    return 0


def _files(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """The protocol files named by `paths` (folders expanded), and paths that are neither."""
    files: list[Path] = []
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            files.extend(protocol_paths(path))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(f"{path}: no such file or folder")
    unique = list(dict.fromkeys(file.resolve() for file in files))
    # Report the paths as the user typed them, not resolved.
    by_resolved = {file.resolve(): file for file in reversed(files)}
    return [by_resolved[file] for file in unique], missing


def run_validate(args: argparse.Namespace) -> int:
    """Check each file, then the files together as a school's folder on top of the library."""
    files, missing = _files(args.paths)
    for line in missing:
        print(line, file=sys.stderr)
    good: list[ProtocolFile] = []
    problems: list[Problem] = []
    for path in files:
        try:
            good.append(read_protocol_file(path))
        except ProtocolError as error:
            problems.extend(error.problems)
    try:
        builtin = builtin_files()
    except ProtocolError:
        # The package's own files are the tests' business; still check these.
        print("note: the built-in library has problems; checked without it", file=sys.stderr)
        builtin = []
    try:
        Library.assemble(builtin, good)
    except ProtocolError as error:
        problems.extend(error.problems)
    for problem in sorted(problems):
        print(problem)
    failed = {problem.file for problem in problems}
    for file in good:
        for warning in file.warnings():
            print(f"warning: {warning}")
        if file.name not in failed:
            protocol = file.protocol
            print(
                f"{file.name}: ok ({protocol.id}, {len(protocol.steps)} steps, "
                f"{protocol.live_minutes} minutes live)",
            )
    if not files and not missing:
        print("no protocol files found (*.yaml, *.yml)", file=sys.stderr)
        return 1
    return 1 if problems or missing else 0
