"""The library: the built-in protocols, a school's folder on top, and finding a protocol by name."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

import pytest

from protocols import loader
from protocols.loader import (
    Library,
    ProtocolFile,
    UnknownProtocol,
    load_library,
    parse_protocol,
)
from protocols.problems import ProtocolError

VALID = Path(__file__).parent / "fixtures" / "valid"
MINI = (VALID / "mini.yaml").read_text(encoding="utf-8")
CHECK_IN = (VALID / "check_in.yaml").read_text(encoding="utf-8")

# The methods of PROTOCOLS.md that the product promises.
PROMISED_IDS = {
    "incident",
    "gossip",
    "balint",
    "five_step",
    "u_procedure",
    "solution_focused",
    "socratic",
    "peer_observation",
    "lesson_study",
    "board_session",
    "action_checkin",
}

LIBRARY_FILES = sorted(
    entry.name
    for entry in (resources.files("protocols") / "library").iterdir()
    if entry.name.endswith((".yaml", ".yml"))
)


@pytest.mark.parametrize("name", LIBRARY_FILES)
def test_every_builtin_file_loads_and_passes_the_checks(name: str) -> None:
    entry = resources.files("protocols") / "library" / name
    protocol = parse_protocol(entry.read_text(encoding="utf-8"), name).protocol
    # The file name is how a developer finds a protocol by its id.
    assert Path(name).stem == protocol.id


def test_the_library_holds_every_promised_protocol() -> None:
    library = load_library()
    assert PROMISED_IDS - set(library.ids) == set()
    assert all(file.builtin and file.origin == "built-in" for file in library.files)


def builtin(text: str, name: str) -> ProtocolFile:
    return parse_protocol(text, f"protocols/library/{name}")


def school_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def fake_builtins(monkeypatch: pytest.MonkeyPatch) -> list[ProtocolFile]:
    """The built-in library as the two valid fixtures, whatever protocols/library holds now."""
    files = [builtin(CHECK_IN, "check_in.yaml"), builtin(MINI, "mini.yaml")]
    monkeypatch.setattr(loader, "builtin_files", lambda: files)
    return files


# --- finding a protocol ---------------------------------------------------------


def test_a_protocol_is_found_by_id_or_alias_in_any_case() -> None:
    library = Library.assemble([builtin(CHECK_IN, "check_in.yaml"), builtin(MINI, "mini.yaml")])
    assert library["check_in"].id == "check_in"
    assert library["INCHECKEN"].id == "check_in"
    assert library.get(" Check-In ") is library["check_in"]
    assert "mini" in library
    assert library.get("nothing") is None


def test_an_unknown_name_lists_the_protocols_and_suggests_one() -> None:
    library = Library.assemble([builtin(CHECK_IN, "check_in.yaml"), builtin(MINI, "mini.yaml")])
    with pytest.raises(UnknownProtocol) as caught:
        library["inchecke"]
    assert str(caught.value) == (
        "no protocol 'inchecke'; did you mean 'check_in'? protocols are: check_in, mini"
    )


def test_protocols_are_listed_by_dutch_title() -> None:
    renamed = MINI.replace("title: {nl: Mini,", "title: {nl: aaa,")
    library = Library.assemble([builtin(CHECK_IN, "check_in.yaml"), builtin(renamed, "mini.yaml")])
    assert library.ids == ["mini", "check_in"]
    assert [protocol.id for protocol in library] == ["mini", "check_in"]
    assert len(library) == 2


# --- a school's folder ------------------------------------------------------------


def test_a_school_file_replaces_the_builtin_with_its_id_and_says_so(
    fake_builtins: list[ProtocolFile], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = school_file(tmp_path, "ours.yaml", MINI.replace("nl: Mini,", "nl: Onze mini,"))
    with caplog.at_level(logging.INFO, logger="protocols.loader"):
        library = load_library(tmp_path)
    assert library["mini"].title.nl == "Onze mini"
    found = library.file("mini")
    assert found is not None and found.path == path and not found.builtin
    assert [record.getMessage() for record in caplog.records] == [
        f"protocol mini: the school's file {path} replaces the built-in one"
    ]
    assert library.ids == ["check_in", "mini"]


def test_a_school_file_with_a_new_id_is_added(
    fake_builtins: list[ProtocolFile], tmp_path: Path
) -> None:
    school_file(tmp_path, "ours.yaml", MINI.replace("id: mini", "id: ours", 1))
    assert load_library(tmp_path).ids == ["check_in", "mini", "ours"]


def test_two_school_files_with_one_id_name_both_files(
    fake_builtins: list[ProtocolFile], tmp_path: Path
) -> None:
    first = school_file(tmp_path, "a.yaml", MINI.replace("id: mini", "id: ours", 1))
    second = school_file(tmp_path, "b.yaml", MINI.replace("id: mini", "id: ours", 1))
    with pytest.raises(ProtocolError) as caught:
        load_library(tmp_path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{second}:3:5: id: id 'ours' is also the id of {first}"
    ]


def test_an_alias_that_is_another_protocols_id_names_both_files(
    fake_builtins: list[ProtocolFile], tmp_path: Path
) -> None:
    text = MINI.replace("id: mini\n", "id: ours\naliases: [mini]\n", 1)
    path = school_file(tmp_path, "ours.yaml", text)
    with pytest.raises(ProtocolError) as caught:
        load_library(tmp_path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{path}:4:11: aliases[0]: alias 'mini' is already the id of protocol 'mini' in "
        "protocols/library/mini.yaml"
    ]


def test_an_alias_that_is_another_protocols_alias_names_both_files(
    fake_builtins: list[ProtocolFile], tmp_path: Path
) -> None:
    text = MINI.replace("id: mini\n", "id: ours\naliases: [eigen, inchecken]\n", 1)
    path = school_file(tmp_path, "ours.yaml", text)
    with pytest.raises(ProtocolError) as caught:
        load_library(tmp_path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{path}:4:18: aliases[1]: alias 'inchecken' is already the alias of protocol "
        "'check_in' in protocols/library/check_in.yaml"
    ]


def test_a_replaced_protocols_aliases_are_free_again(
    fake_builtins: list[ProtocolFile], tmp_path: Path
) -> None:
    school_file(tmp_path, "ours.yaml", CHECK_IN.replace("aliases: [inchecken]", "aliases: [kort]"))
    (tmp_path / "more.yaml").write_text(
        MINI.replace("id: mini\n", "id: more\naliases: [inchecken]\n", 1), encoding="utf-8"
    )
    library = load_library(tmp_path)
    assert library["inchecken"].id == "more"
    assert library["kort"].id == "check_in"


def test_broken_school_files_stop_the_library_with_every_problem(
    fake_builtins: list[ProtocolFile], tmp_path: Path
) -> None:
    first = school_file(tmp_path, "a.yaml", MINI.replace("source: questions", "source: nope"))
    second = school_file(tmp_path, "b.yaml", MINI.replace("minutes: 3", "minutes: 0"))
    school_file(tmp_path, "notes.txt", "not a protocol, not read")
    with pytest.raises(ProtocolError) as caught:
        load_library(tmp_path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{first}:47:13: steps[4].source: 'nope' is not an earlier step; earlier steps are: "
        "propose, choose, situation, questions",
        f"{second}:29:14: steps[1].minutes: must be at least 1, got 0",
    ]


def test_a_missing_school_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError, match="does not exist"):
        load_library(tmp_path / "nowhere")
