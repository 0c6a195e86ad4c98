"""`dialoog teams-package`: the app package Teams accepts, checked against what the
1.17 manifest schema requires (fields, formats, lengths) and what Teams checks on
upload (icons); and the check itself catches what Teams would refuse."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.channels.teams import icons, package
from bot.chat.grammar import parse
from bot.cli import main

APP_ID = "0b9d4e6a-2f11-4c55-9a0e-7d3c1b2a4f60"
WEBSITE = "https://school.example.nl/dialoog"
PUBLISHER = package.Publisher("Het Lyceum", WEBSITE, f"{WEBSITE}/privacy", f"{WEBSITE}/voorwaarden")


@pytest.fixture
def files() -> dict[str, bytes]:
    return package.read_zip(package.build(APP_ID, PUBLISHER))


def manifest_of(files: dict[str, bytes]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(files["manifest.json"])
    return data


def test_the_package_holds_the_manifest_the_dutch_strings_and_two_icons_at_its_root(
    files: dict[str, bytes],
) -> None:
    assert sorted(files) == ["color.png", "manifest.json", "nl.json", "outline.png"]
    assert package.problems(files) == []


def test_the_manifest_names_the_bot_by_its_app_id_in_every_scope(files: dict[str, bytes]) -> None:
    manifest = manifest_of(files)
    assert manifest["manifestVersion"] == "1.17"
    assert manifest["$schema"].endswith("/teams/v1.17/MicrosoftTeams.schema.json")
    assert manifest["id"] == APP_ID
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert bot["scopes"] == ["team", "groupChat", "personal"]
    assert manifest["developer"]["name"] == "Het Lyceum"
    assert manifest["developer"]["privacyUrl"] == f"{WEBSITE}/privacy"
    assert "authorization" not in manifest, "no permission to read every message unless asked"


def test_the_command_list_is_in_english_and_dutch_and_speaks_the_bots_grammar(
    files: dict[str, bytes],
) -> None:
    manifest = manifest_of(files)
    dutch = json.loads(files["nl.json"])
    assert manifest["localizationInfo"] == {
        "defaultLanguageTag": "en-us",
        "additionalLanguages": [{"languageTag": "nl", "file": "nl.json"}],
    }
    commands = manifest["bots"][0]["commandLists"][0]["commands"]
    english = [c["title"] for c in commands]
    dutch_titles = [
        dutch[f"bots[0].commandLists[0].commands[{n}].title"] for n in range(len(commands))
    ]
    assert english == ["start", "protocols", "status", "plan", "stop", "language", "sector", "help"]
    assert dutch_titles == [
        "start",
        "protocollen",
        "status",
        "plan",
        "stop",
        "taal",
        "sector",
        "help",
    ]
    for word in english + dutch_titles:
        assert parse(word).verb != "unknown", f"@dialoog {word} means something"
    assert dutch["name.full"] == "dialoog: intervisie en collegiale consultatie"


def test_the_icons_have_the_sizes_teams_asks_and_the_outline_is_white_on_transparency(
    files: dict[str, bytes],
) -> None:
    assert icons.size_of(files["color.png"]) == (192, 192)
    assert icons.size_of(files["outline.png"]) == (32, 32)
    outline = [p for row in icons.pixels(files["outline.png"]) for p in row]
    assert {p[:3] for p in outline if p[3]} == {(255, 255, 255)}
    assert any(p[3] == 0 for p in outline) and any(p[3] == 255 for p in outline)
    color = [p for row in icons.pixels(files["color.png"]) for p in row]
    assert all(p[3] == 255 for p in color), "the color icon is opaque"


def test_building_twice_gives_the_same_zip() -> None:
    assert package.build(APP_ID, PUBLISHER) == package.build(APP_ID, PUBLISHER)


def test_asking_for_thread_replies_adds_the_resource_specific_permissions() -> None:
    files = package.read_zip(package.build(APP_ID, PUBLISHER, thread_replies=True))
    manifest = manifest_of(files)
    assert manifest["webApplicationInfo"]["id"] == APP_ID
    names = [p["name"] for p in manifest["authorization"]["permissions"]["resourceSpecific"]]
    assert names == ["ChannelMessage.Read.Group", "ChatMessage.Read.Chat"]
    assert package.problems(files) == []


# -- the check catches what Teams would refuse --------------------------------------------------


def _edit_manifest(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, bytes]], None]:
    def edit(files: dict[str, bytes]) -> None:
        data = manifest_of(files)
        change(data)
        files["manifest.json"] = json.dumps(data).encode()

    return edit


def _edit_dutch(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, bytes]], None]:
    def edit(files: dict[str, bytes]) -> None:
        data = json.loads(files["nl.json"])
        change(data)
        files["nl.json"] = json.dumps(data).encode()

    return edit


def _eleven_commands(data: dict[str, Any]) -> None:
    data["bots"][0]["commandLists"][0]["commands"] *= 2


def _red_outline(files: dict[str, bytes]) -> None:
    rows = [
        [(255, 0, 0, 255) if (x + y) % 3 == 0 else (0, 0, 0, 0) for x in range(32)]
        for y in range(32)
    ]
    files["outline.png"] = icons.encode(32, 32, rows)


BROKEN: dict[str, tuple[Callable[[dict[str, bytes]], None], str]] = {
    "no accent color": (_edit_manifest(lambda d: d.pop("accentColor")), "accentColor is required"),
    "app id not a GUID": (_edit_manifest(lambda d: d.update(id="dialoog")), "id must be a GUID"),
    "an older schema": (
        _edit_manifest(lambda d: d.update(manifestVersion="1.16")),
        "manifestVersion must be 1.17",
    ),
    "version not x.y.z": (
        _edit_manifest(lambda d: d.update(version="1.0")),
        "version must be a version like 1.0.0",
    ),
    "color not hex": (
        _edit_manifest(lambda d: d.update(accentColor="teal")),
        "accentColor must be a color like #1F6F78",
    ),
    "short name too long": (
        _edit_manifest(lambda d: d["name"].update(short="d" * 31)),
        "name.short is longer than 30 characters",
    ),
    "privacy page not a URL": (
        _edit_manifest(lambda d: d["developer"].update(privacyUrl="privacy.html")),
        "developer.privacyUrl must be an https URL",
    ),
    "no terms of use": (
        _edit_manifest(lambda d: d["developer"].pop("termsOfUseUrl")),
        "developer.termsOfUseUrl is required",
    ),
    "unknown property": (
        _edit_manifest(lambda d: d.update(commands=[])),
        "commands is not a property of the 1.17 schema",
    ),
    "bot id not a GUID": (
        _edit_manifest(lambda d: d["bots"][0].update(botId="28:bot")),
        "bots[0].botId must be the bot's app id (a GUID)",
    ),
    "unknown scope": (
        _edit_manifest(lambda d: d["bots"][0].update(scopes=["meetings"])),
        "bots[0].scopes must be some of team, groupChat, personal",
    ),
    "eleven commands": (
        _edit_manifest(_eleven_commands),
        "bots[0].commandLists[0].commands: at most 10",
    ),
    "command title too long": (
        _edit_manifest(
            lambda d: d["bots"][0]["commandLists"][0]["commands"][0].update(title="s" * 33)
        ),
        "bots[0].commandLists[0].commands[0].title is longer than 32 characters",
    ),
    "icon missing": (lambda f: f.pop("color.png"), "icons.color: color.png is not in the package"),
    "icon wrong size": (
        lambda f: f.update({"color.png": icons.encode(2, 2, [[(0, 0, 0, 255)] * 2] * 2)}),
        "icons.color: color.png is 2x2, not 192x192",
    ),
    "outline in color": (_red_outline, "icons.outline must be white on a transparent background"),
    "not a PNG": (
        lambda f: f.update({"outline.png": b"GIF89a"}),
        "icons.outline: outline.png is not a PNG",
    ),
    "Dutch name missing": (
        _edit_dutch(lambda d: d.pop("name.short")),
        "nl.json: name.short is required",
    ),
    "Dutch for a command that is not there": (
        _edit_dutch(lambda d: d.update({"bots[0].commandLists[0].commands[9].title": "x"})),
        "nl.json: bots[0].commandLists[0].commands[9].title translates a command that is "
        "not in the manifest",
    ),
    "Dutch for something untranslatable": (
        _edit_dutch(lambda d: d.update({"accentColor": "#000000"})),
        "nl.json: accentColor is not a string Teams translates",
    ),
    "a file in a folder": (
        lambda f: f.update({"icons/extra.png": b""}),
        "icons/extra.png: files must sit at the root of the zip",
    ),
    "no manifest": (lambda f: f.pop("manifest.json"), "manifest.json is missing"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_check_names_what_teams_would_refuse(files: dict[str, bytes], case: str) -> None:
    break_it, expected = BROKEN[case]
    break_it(files)
    assert expected in package.problems(files)


# -- the command -----------------------------------------------------------------------------


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["teams-package", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_command_writes_the_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "dialoog.zip"
    code, out, _ = _run(["--app-id", APP_ID, "--website-url", WEBSITE, "-o", str(target)], capsys)
    assert code == 0
    assert f"Wrote {target} for app id {APP_ID}." in out
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        assert archive.testzip() is None
    assert package.problems(package.read_zip(target.read_bytes())) == []


def test_the_command_takes_the_app_id_and_address_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROSOFT_APP_ID", APP_ID)
    monkeypatch.setenv("DIALOOG_PUBLIC_URL", "https://dialoog.school.example.nl")
    target = tmp_path / "dialoog.zip"
    code, _, _ = _run(["-o", str(target)], capsys)
    assert code == 0
    manifest = manifest_of(package.read_zip(target.read_bytes()))
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["developer"]["websiteUrl"] == "https://dialoog.school.example.nl"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--website-url", WEBSITE], "no app id: set MICROSOFT_APP_ID or give --app-id"),
        (["--app-id", "28:bot", "--website-url", WEBSITE], "the app id must be a GUID"),
        (["--app-id", APP_ID], "give --website-url"),
        (["--app-id", APP_ID, "--website-url", "http://plain.example"], "give --website-url"),
        (
            ["--app-id", APP_ID, "--website-url", WEBSITE, "--publisher", "x" * 40],
            "developer.name is longer than 32 characters",
        ),
    ],
)
def test_the_command_says_what_is_missing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.delenv("MICROSOFT_APP_ID", raising=False)
    monkeypatch.delenv("DIALOOG_PUBLIC_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(argv, capsys)
    assert code in (1, 2)
    assert message in err
    assert not (tmp_path / "dialoog-teams.zip").exists()
