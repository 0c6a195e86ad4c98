"""`dialoog protocols list / show / validate`, run as a user would, through `bot.cli.main`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from protocols.loader import builtin_files, load_library, read_protocol_file

FIXTURES = Path(__file__).parent / "fixtures"
LIBRARY = Path(__file__).parents[2] / "protocols" / "library"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["protocols", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_shows_every_protocol_with_its_dutch_title(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    for file in builtin_files():
        protocol = file.protocol
        assert re.search(
            rf"^{protocol.id} +{re.escape(protocol.title.nl)} +{protocol.live_minutes} min ",
            out,
            re.MULTILINE,
        )


def test_list_shows_at_least_seventeen_methods(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    rows = out.splitlines()[1:]
    assert len(rows) >= 17
    for protocol_id in ("lesson_visit", "learning_from_success", "research_cycle", "ten_step"):
        assert any(row.startswith(f"{protocol_id} ") for row in rows)


def test_list_in_english_shows_the_english_titles(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "list", "--lang", "en")
    assert code == 0
    assert out.splitlines()[0].split() == ["ID", "TITLE", "LIVE", "MODES"]
    for file in builtin_files():
        assert f" {file.protocol.title.en} " in out


def test_list_includes_the_schools_protocols_with_their_file(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("DIALOOG_PROTOCOLS_DIR", str(FIXTURES / "valid"))
    code, out, _ = run(capsys, "list")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("check_in "))
    assert line.split("  ")[0] == "check_in"
    assert "Korte check-in" in line
    assert line.endswith(str(FIXTURES / "valid" / "check_in.yaml"))


def test_list_refuses_a_broken_school_folder_with_every_problem(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "school"
    folder.mkdir()
    (folder / "empty.yaml").write_text("", encoding="utf-8")
    (folder / "list.yaml").write_text("- id: x\n", encoding="utf-8")
    clean_env.setenv("DIALOOG_PROTOCOLS_DIR", str(folder))
    code, out, err = run(capsys, "list")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "dialoog: 2 problem(s) in the protocol files:",
        f"{folder / 'empty.yaml'}:1:1: the file is empty; a protocol file is a mapping of "
        "fields, starting with id:, version:, title: and summary:",
        f"{folder / 'list.yaml'}:1:1: this file holds a list; a protocol file is a mapping of "
        "fields, starting with id:, version:, title: and summary:",
    ]


def test_show_walks_through_the_protocol_in_dutch(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("DIALOOG_PROTOCOLS_DIR", str(FIXTURES / "valid"))
    clean_env.setenv("COLUMNS", "100")
    code, out, _ = run(capsys, "show", "check_in")
    assert code == 0
    lines = out.splitlines()
    assert lines[:3] == ["Korte check-in", "==============", "check_in  (ook: inchecken)"]
    assert "Groep: 3 tot 8 mensen" in lines
    assert "Duur: 49 minuten live, 12 dagen asynchroon" in lines
    assert "  - Inbrenger (case_owner): gekozen: de schrijver van wat wint in stap 3 (Kiezen)" in (
        lines
    )
    assert "  - Deelnemer (advisor): alle anderen" in lines
    steps = lines[lines.index("Stappen") :]
    assert steps[-3:] == [
        "  11. Afsluiten",
        "      terugblik · iedereen · 3 min · 2 dagen",
        "      Wat neem je mee?",
    ]


def test_show_in_english_by_alias(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("DIALOOG_PROTOCOLS_DIR", str(FIXTURES / "valid"))
    code, out, _ = run(capsys, "show", "INCHECKEN", "--lang", "en")
    assert code == 0
    assert out.startswith("Short check-in\n")
    assert "   4. Tell\n      speak · Case owner · 5 min · 24 h\n" in out


def test_show_wraps_to_the_terminal_width(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("COLUMNS", "50")
    code, out, _ = run(capsys, "show", "incident")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 50


def test_show_of_an_unknown_id_names_the_ids_and_suggests_one(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "show", "incidnet")
    ids = sorted(file.protocol.id for file in builtin_files())
    assert (code, out) == (1, "")
    assert err == (
        f"dialoog: no protocol 'incidnet'; did you mean 'incident'? protocols are: "
        f"{', '.join(ids)}\n"
    )


def test_validate_lists_every_problem_of_every_broken_file(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "validate", str(FIXTURES / "broken"))
    assert code == 1
    named = {Path(line.split(":", 1)[0]).name for line in out.splitlines()}
    assert named == {path.name for path in (FIXTURES / "broken").glob("*.yaml")}
    assert "many_problems.yaml" in named
    assert sum("many_problems.yaml:" in line for line in out.splitlines()) == 3
    assert ": ok (" not in out


def test_validate_passes_the_library_with_an_ok_line_per_file(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "validate", str(LIBRARY))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{file.path}: ok ({file.protocol.id}, {len(file.protocol.steps)} steps, "
        f"{file.protocol.live_minutes} minutes live)"
        for file in map(read_protocol_file, sorted(LIBRARY.glob("*.yaml")))
    ]


def test_validate_one_file(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = FIXTURES / "valid" / "mini.yaml"
    assert run(capsys, "validate", str(path)) == (
        0,
        f"{path}: ok (mini, 5 steps, 28 minutes live)\n",
        "",
    )


def test_validate_checks_files_together_as_a_school_folder(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    mini = (FIXTURES / "valid" / "mini.yaml").read_text(encoding="utf-8")
    first = tmp_path / "a.yaml"
    second = tmp_path / "b.yaml"
    first.write_text(mini, encoding="utf-8")
    second.write_text(mini, encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert out.splitlines() == [
        f"{second}:3:5: id: id 'mini' is also the id of {first}",
        f"{first}: ok (mini, 5 steps, 28 minutes live)",
    ]


def test_validate_of_a_missing_path_fails(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "nowhere.yaml"))
    assert (code, err) == (1, f"{tmp_path / 'nowhere.yaml'}: no such file or folder\n")


def test_validate_warns_where_anonymous_items_cannot_stay_anonymous(
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The incident method with anonymous positions: the round robin over them goes
    # person by person, so whoever speaks to a position shows it is theirs.
    path = _incident_with_anonymous(tmp_path, "position")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0, "a warning, not an error: the protocol works"
    [warning] = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert re.fullmatch(
        rf"warning: {re.escape(str(path))}:\d+:\d+: steps\[\d+\]\.source: the items of "
        r"'position' are anonymous, but a round robin goes person by person: whoever speaks "
        r"to an item shows it is theirs",
        warning,
    )
    # The server says so too when it loads the school's folder.
    load_library(tmp_path)
    assert "protocol warning: " in caplog.text and "source" in caplog.text


def test_validate_does_not_warn_of_a_vote_that_asks_the_anonymous_winner_first(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Anonymous incidents: the vote gives the winner's author the case owner's role,
    # but only after they said yes privately (tests/engine/test_anonymity.py).
    path = _incident_with_anonymous(tmp_path, "propose")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("warning: ")] == []


def _incident_with_anonymous(folder: Path, step_id: str) -> Path:
    """The incident method in a school's folder, with one collect step anonymous."""
    source = (LIBRARY / "incident.yaml").read_text(encoding="utf-8")
    head = f"  - id: {step_id}\n    kind: collect\n"
    assert head in source
    path = folder / "incident.yaml"
    path.write_text(source.replace(head, head + "    anonymous: true\n", 1), encoding="utf-8")
    return path
