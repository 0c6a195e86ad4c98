"""Read protocol files and put them together into a `Library`.

The built-in protocols are package data (`protocols/library/*.yaml`); a school
may add its own folder. A school's file with the id of a built-in protocol
replaces it, so a school can adapt the texts; the replacement is logged once at
INFO. Two school files with the same id, or a name (id or alias) that two
protocols share, are errors that name both files.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from protocols.checks import anonymity_warnings, check_protocol
from protocols.problems import Finding, Loc, Problem, ProtocolError, format_path
from protocols.schema import Protocol
from protocols.shape import validate_shape
from protocols.source import Document, read_yaml
from protocols.wording import closest, listing

logger = logging.getLogger(__name__)

SUFFIXES = (".yaml", ".yml")

# How problems in built-in files name them: where a developer finds them.
BUILTIN_PREFIX = "protocols/library/"


@dataclass(frozen=True)
class ProtocolFile:
    """A valid protocol and the file it came from (`path` is None for a built-in one)."""

    protocol: Protocol
    name: str
    path: Path | None = None
    document: Document | None = field(default=None, repr=False, compare=False)

    @property
    def builtin(self) -> bool:
        return self.path is None

    @property
    def origin(self) -> str:
        """`built-in` or the file's path, for people."""
        return "built-in" if self.path is None else str(self.path)

    def problem(self, loc: Loc, message: str) -> Problem:
        """A problem at `loc` of this file (for problems across files)."""
        line, column = self.document.position(loc) if self.document else (1, 1)
        return Problem(self.name, line, column, format_path(loc), message)

    def warnings(self) -> list[Problem]:
        """What works but does not do what the file seems to promise (anonymity)."""
        return [self.problem(f.loc, f.message) for f in anonymity_warnings(self.protocol)]


def parse_protocol(text: str, name: str, path: Path | None = None) -> ProtocolFile:
    """Parse and check one protocol; raise `ProtocolError` with every problem found.

    The meaning is checked only when the shape is right: a reference check on a
    half-read protocol would only add noise.
    """
    document = read_yaml(text, name)
    shaped = validate_shape(document.data, document.raw)
    findings: list[Finding] = shaped if isinstance(shaped, list) else []
    if isinstance(shaped, Protocol) and not document.problems:
        findings = check_protocol(shaped)
    problems = [
        *document.problems,
        *(
            document.place(finding)
            for finding in findings
            if not any(finding.loc[: len(loc)] == loc for loc in document.explained)
        ),
    ]
    if problems:
        raise ProtocolError(problems)
    assert isinstance(shaped, Protocol)
    return ProtocolFile(shaped, name, path, document)


def _decode(data: bytes, name: str) -> str:
    try:
        # utf-8-sig: an editor's byte order mark is no reason to refuse a file.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise ProtocolError(
            [
                Problem(
                    name,
                    line,
                    column,
                    "",
                    f"this is not UTF-8 text (byte 0x{data[error.start]:02x}); "
                    "save the file as UTF-8",
                )
            ]
        ) from None


def read_protocol_file(path: Path) -> ProtocolFile:
    """Read and check the protocol in `path`; raise `ProtocolError` with every problem."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ProtocolError(
            [Problem(str(path), 1, 1, "", f"cannot read the file: {error.strerror}")]
        ) from None
    return parse_protocol(_decode(data, str(path)), str(path), path)


def protocol_paths(folder: Path) -> list[Path]:
    """The protocol files in `folder` (not its subfolders), by name; hidden files skipped."""
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix in SUFFIXES and not path.name.startswith(".") and path.is_file()
    )


def _read_all(files: Iterable[Path]) -> tuple[list[ProtocolFile], list[Problem]]:
    good: list[ProtocolFile] = []
    problems: list[Problem] = []
    for path in files:
        try:
            good.append(read_protocol_file(path))
        except ProtocolError as error:
            problems.extend(error.problems)
    return good, problems


def builtin_files() -> list[ProtocolFile]:
    """Every protocol of the built-in library; a broken one raises `ProtocolError`."""
    return list(_builtin_files())


# Package data does not change while the process runs, and the protocols are
# frozen, so every caller (each test, each CLI command) can share one reading.
@functools.cache
def _builtin_files() -> tuple[ProtocolFile, ...]:
    folder = resources.files("protocols") / "library"
    good: list[ProtocolFile] = []
    problems: list[Problem] = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(SUFFIXES) or entry.name.startswith("."):
            continue
        name = BUILTIN_PREFIX + entry.name
        try:
            good.append(parse_protocol(_decode(entry.read_bytes(), name), name))
        except ProtocolError as error:
            problems.extend(error.problems)
    if problems:
        raise ProtocolError(problems)
    return tuple(good)


class UnknownProtocol(LookupError):
    """No protocol has this id or alias; says which ones exist."""

    def __init__(self, name: str, known: Sequence[str], suggestion: str | None) -> None:
        self.name = name
        self.known = tuple(known)
        self.suggestion = suggestion
        super().__init__(name)

    def __str__(self) -> str:
        hint = f"did you mean '{self.suggestion}'? " if self.suggestion else ""
        return f"no protocol '{self.name}'; {hint}protocols are: {listing(self.known)}"


def _normal(name: str) -> str:
    # Users type `Five-Step` or `five step`; ids are lowercase with underscores.
    return "_".join(name.strip().lower().replace("-", " ").split())


class Library:
    """The protocols a server offers: the built-in ones, some perhaps replaced by a school's.

    Build it with `load_library` or `Library.assemble`; both check the files
    together and raise `ProtocolError` rather than leave a protocol out, so a
    server with a broken school file refuses to start with every problem listed
    instead of silently offering fewer protocols than the school expects.
    """

    def __init__(self, files: Iterable[ProtocolFile]) -> None:
        """Files whose ids and aliases are known not to collide (see `assemble`)."""
        # A stable order for lists: the Dutch title, as most users read it.
        self._files = sorted(files, key=lambda f: (f.protocol.title.nl.casefold(), f.protocol.id))
        self._by_name: dict[str, ProtocolFile] = {}
        for file in self._files:
            for name in (file.protocol.id, *file.protocol.aliases):
                self._by_name.setdefault(name, file)

    @classmethod
    def assemble(
        cls, builtin: Sequence[ProtocolFile], school: Sequence[ProtocolFile] = ()
    ) -> Library:
        """The library of `builtin` with `school` on top; `ProtocolError` on conflicts."""
        chosen: dict[str, ProtocolFile] = {file.protocol.id: file for file in builtin}
        problems: list[Problem] = []
        school_by_id: dict[str, ProtocolFile] = {}
        for file in school:
            pid = file.protocol.id
            if pid in school_by_id:
                problems.append(
                    file.problem(("id",), f"id '{pid}' is also the id of {school_by_id[pid].name}")
                )
                continue
            school_by_id[pid] = file
            if pid in chosen:
                logger.info(
                    "protocol %s: the school's file %s replaces the built-in one", pid, file.name
                )
            chosen[pid] = file
        problems.extend(_name_collisions(list(chosen.values())))
        if problems:
            raise ProtocolError(problems)
        return cls(chosen.values())

    def __iter__(self) -> Iterator[Protocol]:
        return (file.protocol for file in self._files)

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.file(name) is not None

    @property
    def files(self) -> tuple[ProtocolFile, ...]:
        """Every protocol with where it came from, in the library's order."""
        return tuple(self._files)

    @property
    def ids(self) -> list[str]:
        return [file.protocol.id for file in self._files]

    def file(self, name: str) -> ProtocolFile | None:
        """The protocol named `name` (id or alias, any case) with its origin, if any."""
        return self._by_name.get(_normal(name))

    def get(self, name: str) -> Protocol | None:
        found = self.file(name)
        return found.protocol if found else None

    def __getitem__(self, name: str) -> Protocol:
        found = self.file(name)
        if found is None:
            match = closest(_normal(name), self._by_name)
            suggestion = self._by_name[match].protocol.id if match else None
            raise UnknownProtocol(name, sorted(self.ids), suggestion)
        return found.protocol


def _name_collisions(files: Sequence[ProtocolFile]) -> Iterator[Problem]:
    """An alias that is another protocol's id or alias, named in both files."""
    owners: dict[str, tuple[ProtocolFile, str]] = {file.protocol.id: (file, "id") for file in files}
    for file in files:
        for index, alias in enumerate(file.protocol.aliases):
            other = owners.get(alias)
            if other is not None and other[0] is not file:
                owner, what = other
                yield file.problem(
                    ("aliases", index),
                    f"alias '{alias}' is already the {what} of protocol '{owner.protocol.id}' "
                    f"in {owner.name}",
                )
            else:
                owners.setdefault(alias, (file, "alias"))


def load_library(school_dir: Path | None = None) -> Library:
    """The built-in protocols, with the protocols in `school_dir` on top.

    A school file that fails to validate raises `ProtocolError` with all
    problems of all files: a server refuses to start with a clear message
    rather than silently run without that protocol.
    """
    school: list[ProtocolFile] = []
    problems: list[Problem] = []
    if school_dir is not None:
        if not school_dir.is_dir():
            raise NotADirectoryError(f"the protocols folder {school_dir} does not exist")
        school, problems = _read_all(protocol_paths(school_dir))
    try:
        library = Library.assemble(builtin_files(), school)
    except ProtocolError as error:
        raise ProtocolError([*problems, *error.problems]) from None
    if problems:
        raise ProtocolError(problems)
    for file in school:
        for warning in file.warnings():
            logger.warning("protocol warning: %s", warning)
    return library
