"""The Teams app package: manifest.json (schema 1.17) with the bot and its command
list, the Dutch strings (nl.json) and the two icons, in a zip to upload to Teams.

`problems()` checks a package against what the 1.17 schema requires (fields,
formats, lengths) and what Teams checks on upload (icon sizes, a white outline
icon on transparency, every referenced file present at the zip's root).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from bot.channels.teams import icons
from bot.errors import DialoogError

SCHEMA = "https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA = "https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.Localization.schema.json"
MANIFEST_VERSION = "1.17"
COLOR, OUTLINE, DUTCH = "color.png", "outline.png", "nl.json"
ACCENT_COLOR = "#{:02X}{:02X}{:02X}".format(*icons.ACCENT)
SCOPES = ["team", "groupChat", "personal"]
_EPOCH = (2024, 1, 1, 0, 0, 0)

# (command, English description, Dutch word, Dutch description): what Teams offers
# after "@dialoog" in the compose box. The words are the grammar's (bot.chat.grammar).
COMMANDS = (
    (
        "start",
        "Start a round, e.g. start incident (add async to spread it over days)",
        "start",
        "Start een ronde, bijv. start incident (met async verspreid over dagen)",
    ),
    ("protocols", "The methods you can start", "protocollen", "De methodes die je kunt starten"),
    ("status", "The round that is running now", "status", "De ronde die nu loopt"),
    (
        "plan",
        "Plan recurring rounds for this channel",
        "plan",
        "Plan terugkerende rondes in dit kanaal",
    ),
    ("stop", "End the round (facilitator)", "stop", "Stop de ronde (gespreksleider)"),
    (
        "language",
        "This channel's language: language nl or language en",
        "taal",
        "De taal van dit kanaal: taal nl of taal en",
    ),
    (
        "sector",
        "School type for the methods' words: sector po, vo or mbo",
        "sector",
        "Soort school voor de woorden van de methodes: sector po, vo of mbo",
    ),
    ("help", "What dialoog can do", "help", "Wat dialoog kan"),
)
# With these, Teams delivers every message in a channel or chat where the app is
# installed, so replies in a round's thread count without an @mention.
THREAD_PERMISSIONS = [
    {"name": "ChannelMessage.Read.Group", "type": "Application"},
    {"name": "ChatMessage.Read.Chat", "type": "Application"},
]


@dataclass(frozen=True)
class Publisher:
    name: str
    website: str
    privacy: str
    terms: str


def manifest(
    app_id: str, publisher: Publisher, *, version: str | None = None, thread_replies: bool = False
) -> dict[str, Any]:
    commands = [{"title": c[0], "description": c[1]} for c in COMMANDS]
    data: dict[str, Any] = {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": version or _version(),
        "id": app_id,
        "localizationInfo": {
            "defaultLanguageTag": "en-us",
            "additionalLanguages": [{"languageTag": "nl", "file": DUTCH}],
        },
        "developer": {
            "name": publisher.name,
            "websiteUrl": publisher.website,
            "privacyUrl": publisher.privacy,
            "termsOfUseUrl": publisher.terms,
        },
        "name": {"short": "dialoog", "full": "dialoog: peer consultation for teachers"},
        "description": {
            "short": "Guides your team's intervision and peer consultation, step by step",
            "full": (
                "dialoog facilitates teachers' peer-learning rounds in a channel: the incident "
                "method, the gossip method, Balint, collegial consultation with a lesson visit, "
                "lesson study and more. Type @dialoog start to choose a method. It assigns the "
                "roles, keeps each step to its time, collects the questions and advice, keeps "
                "the rules (no advice during the question round, confidentiality), writes the "
                "summary and comes back on the agreed actions next time."
            ),
        },
        "icons": {"color": COLOR, "outline": OUTLINE},
        "accentColor": ACCENT_COLOR,
        "bots": [
            {
                "botId": app_id,
                "scopes": list(SCOPES),
                "isNotificationOnly": False,
                "supportsFiles": False,
                "supportsCalling": False,
                "supportsVideo": False,
                "commandLists": [{"scopes": list(SCOPES), "commands": commands}],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }
    if thread_replies:
        data["webApplicationInfo"] = {"id": app_id, "resource": f"api://botid-{app_id}"}
        data["authorization"] = {"permissions": {"resourceSpecific": THREAD_PERMISSIONS}}
    return data


def dutch() -> dict[str, Any]:
    strings: dict[str, Any] = {
        "$schema": LOCALIZATION_SCHEMA,
        "name.short": "dialoog",
        "name.full": "dialoog: intervisie en collegiale consultatie",
        "description.short": "Begeleidt intervisie en collegiale consultatie, stap voor stap",
        "description.full": (
            "dialoog begeleidt intervisie en collegiale consultatie in een kanaal: de "
            "incidentmethode, de roddelmethode, Balint, collegiale consultatie met lesbezoek, "
            "lesson study en meer. Typ @dialoog start om een methode te kiezen. dialoog verdeelt "
            "de rollen, bewaakt de tijd per stap, verzamelt vragen en adviezen, houdt de "
            "spelregels in het oog (geen advies in de vragenronde, vertrouwelijkheid), schrijft "
            "de samenvatting en komt de volgende keer terug op de afgesproken acties."
        ),
    }
    for n, (_, _, word, description) in enumerate(COMMANDS):
        strings[f"bots[0].commandLists[0].commands[{n}].title"] = word
        strings[f"bots[0].commandLists[0].commands[{n}].description"] = description
    return strings


def build(app_id: str, publisher: Publisher, *, thread_replies: bool = False) -> bytes:
    """The package as zip bytes; raises InvalidPackage when it would not pass."""
    files = {
        "manifest.json": _json(manifest(app_id, publisher, thread_replies=thread_replies)),
        DUTCH: _json(dutch()),
        COLOR: icons.color_icon(),
        OUTLINE: icons.outline_icon(),
    }
    found = problems(files)
    if found:
        raise InvalidPackage(found)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            # A fixed date: the same input gives the same zip.
            archive.writestr(zipfile.ZipInfo(name, date_time=_EPOCH), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


class InvalidPackage(DialoogError, ValueError):
    """The package would not pass Teams' checks; `problems` says what, line by line."""

    def __init__(self, found: list[str]) -> None:
        super().__init__("\n".join(found))
        self.problems = found


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def _version() -> str:
    try:
        found = metadata.version("dialoog")
    except metadata.PackageNotFoundError:
        return "1.0.0"
    # Teams wants plain x.y.z.
    match = re.match(r"^(\d+)\.(\d+)\.(\d+)", found)
    return ".".join(match.groups()) if match else "1.0.0"


# -- the check ------------------------------------------------------------------------------

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_SEMVER = re.compile(r"^([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)$")
_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_HTTPS = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]?://")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8}){0,2}$")
# The top-level properties of the 1.17 schema (it allows no others).
_PROPERTIES = {
    "$schema", "manifestVersion", "version", "id", "packageName", "localizationInfo",
    "developer", "name", "description", "icons", "accentColor", "configurableTabs",
    "staticTabs", "bots", "connectors", "subscriptionOffer", "composeExtensions",
    "permissions", "devicePermissions", "validDomains", "webApplicationInfo",
    "graphConnector", "showLoadingIndicator", "isFullScreen", "activities",
    "configurableProperties", "supportedChannelTypes", "defaultBlockUntilAdminAction",
    "publisherDocsUrl", "defaultInstallScope", "defaultGroupCapability",
    "meetingExtensionDefinition", "authorization", "extensions", "dashboardCards",
}  # fmt: skip
_REQUIRED = (
    "manifestVersion",
    "version",
    "id",
    "developer",
    "name",
    "description",
    "icons",
    "accentColor",
)
_COMMAND_KEY = re.compile(
    r"^bots\[0\]\.commandLists\[[0-2]\]\.commands\[[0-9]\]\.(title|description)$"
)
_LOCALIZED_LENGTHS = {
    "name.short": 30,
    "name.full": 100,
    "description.short": 80,
    "description.full": 4000,
}
_ICON_SIZES = {"color": (192, 192), "outline": (32, 32)}


def problems(files: dict[str, bytes]) -> list[str]:
    """Everything in a package Teams would refuse; empty when it passes."""
    found: list[str] = []
    for name in files:
        if "/" in name or "\\" in name:
            found.append(f"{name}: files must sit at the root of the zip")
    raw = files.get("manifest.json")
    if raw is None:
        return [*found, "manifest.json is missing"]
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return [*found, "manifest.json is not JSON"]
    if not isinstance(data, dict):
        return [*found, "manifest.json is not an object"]
    found += list(_manifest_problems(data))
    found += list(_icon_problems(data, files))
    found += list(_localization_problems(data, files))
    return found


def _manifest_problems(data: dict[str, Any]) -> Iterator[str]:
    for key in _REQUIRED:
        if key not in data:
            yield f"{key} is required"
    for key in sorted(set(data) - _PROPERTIES):
        yield f"{key} is not a property of the {MANIFEST_VERSION} schema"
    if "manifestVersion" in data and data["manifestVersion"] != MANIFEST_VERSION:
        yield f"manifestVersion must be {MANIFEST_VERSION}"
    yield from _text(data, "version", 256, _SEMVER, "a version like 1.0.0")
    yield from _text(data, "id", None, _GUID, "a GUID")
    yield from _text(data, "accentColor", None, _HEX_COLOR, "a color like #1F6F78")
    developer = _object(data, "developer")
    if developer is not None:
        yield from _required_fields(
            "developer", developer, ("name", "websiteUrl", "privacyUrl", "termsOfUseUrl")
        )
        yield from _text(developer, "name", 32, None, "", where="developer.")
        for url in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
            yield from _text(developer, url, 2048, _HTTPS, "an https URL", where="developer.")
    for section, limits in (
        ("name", {"short": 30, "full": 100}),
        ("description", {"short": 80, "full": 4000}),
    ):
        value = _object(data, section)
        if value is None:
            continue
        yield from _required_fields(section, value, tuple(limits))
        for key, limit in limits.items():
            yield from _text(value, key, limit, None, "", where=f"{section}.")
    yield from _bot_problems(data)
    for permission in data.get("permissions", []):
        if permission not in ("identity", "messageTeamMembers"):
            yield f"permissions: {permission!r} is not one Teams knows"
    if len(data.get("validDomains", [])) > 16:
        yield "validDomains: at most 16"
    web_app = data.get("webApplicationInfo")
    if web_app is not None:
        yield from _text(web_app, "id", None, _GUID, "a GUID", where="webApplicationInfo.")
    for n, rsc in enumerate(
        ((data.get("authorization") or {}).get("permissions") or {}).get("resourceSpecific") or []
    ):
        if rsc.get("type") not in ("Application", "Delegated") or not rsc.get("name"):
            yield f"authorization.permissions.resourceSpecific[{n}] needs a name and a type"


def _bot_problems(data: dict[str, Any]) -> Iterator[str]:
    bots = data.get("bots", [])
    if not isinstance(bots, list) or len(bots) > 1:
        yield "bots: at most one bot"
        return
    for bot in bots:
        yield from _text(bot, "botId", None, _GUID, "the bot's app id (a GUID)", where="bots[0].")
        scopes = bot.get("scopes")
        if not scopes or not set(scopes) <= set(SCOPES) or len(scopes) > 3:
            yield "bots[0].scopes must be some of team, groupChat, personal"
        lists = bot.get("commandLists", [])
        if len(lists) > 3:
            yield "bots[0].commandLists: at most 3"
        for n, command_list in enumerate(lists):
            where = f"bots[0].commandLists[{n}]."
            if not set(command_list.get("scopes") or ["?"]) <= set(SCOPES):
                yield f"{where}scopes must be some of team, groupChat, personal"
            commands = command_list.get("commands") or []
            if len(commands) > 10:
                yield f"{where}commands: at most 10"
            for m, command in enumerate(commands):
                yield from _text(command, "title", 32, None, "", where=f"{where}commands[{m}].")
                yield from _text(
                    command, "description", 128, None, "", where=f"{where}commands[{m}]."
                )


def _icon_problems(data: dict[str, Any], files: dict[str, bytes]) -> Iterator[str]:
    paths = data.get("icons")
    if not isinstance(paths, dict):
        return
    for kind, (width, height) in _ICON_SIZES.items():
        path = paths.get(kind)
        if not isinstance(path, str) or not path:
            yield f"icons.{kind} is required"
            continue
        if path not in files:
            yield f"icons.{kind}: {path} is not in the package"
            continue
        try:
            size = icons.size_of(files[path])
        except icons.NotAPng:
            yield f"icons.{kind}: {path} is not a PNG"
            continue
        if size != (width, height):
            yield f"icons.{kind}: {path} is {size[0]}x{size[1]}, not {width}x{height}"
    outline = paths.get("outline")
    if isinstance(outline, str) and outline in files:
        try:
            rows = icons.pixels(files[outline])
        except (icons.NotAPng, ValueError):
            yield "icons.outline: cannot read its pixels (an 8-bit RGBA PNG is expected)"
            return
        seen = [p for row in rows for p in row if p[3] > 0]
        if any(p[:3] != (255, 255, 255) for p in seen):
            yield "icons.outline must be white on a transparent background"
        if not seen or len(seen) == sum(len(r) for r in rows):
            yield "icons.outline must be an outline: some of it transparent, some not"


def _localization_problems(data: dict[str, Any], files: dict[str, bytes]) -> Iterator[str]:
    info = data.get("localizationInfo")
    if info is None:
        return
    yield from _text(
        info, "defaultLanguageTag", None, _LANGUAGE_TAG, "a language tag", where="localizationInfo."
    )
    for n, language in enumerate(info.get("additionalLanguages", [])):
        where = f"localizationInfo.additionalLanguages[{n}]."
        yield from _text(
            language, "languageTag", None, _LANGUAGE_TAG, "a language tag", where=where
        )
        path = language.get("file")
        if not isinstance(path, str) or path not in files:
            yield f"{where}file: {path} is not in the package"
            continue
        try:
            strings = json.loads(files[path])
        except (UnicodeDecodeError, json.JSONDecodeError):
            yield f"{path} is not JSON"
            continue
        for key, limit in _LOCALIZED_LENGTHS.items():
            if not isinstance(strings.get(key), str):
                yield f"{path}: {key} is required"
            elif len(strings[key]) > limit:
                yield f"{path}: {key} is longer than {limit}"
        commands = (data.get("bots") or [{}])[0].get("commandLists") or []
        for key, value in strings.items():
            if key == "$schema" or key in _LOCALIZED_LENGTHS:
                continue
            match = _COMMAND_KEY.match(key)
            if match is None:
                yield f"{path}: {key} is not a string Teams translates"
                continue
            limit = 32 if match.group(1) == "title" else 128
            if not isinstance(value, str) or len(value) > limit:
                yield f"{path}: {key} must be text of at most {limit}"
            if not _exists(commands, key):
                yield f"{path}: {key} translates a command that is not in the manifest"


def _exists(command_lists: list[dict[str, Any]], key: str) -> bool:
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", key)]
    _, list_at, command_at = numbers
    return list_at < len(command_lists) and command_at < len(
        command_lists[list_at].get("commands", [])
    )


def _object(data: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = data.get(key)
    return value if isinstance(value, dict) else None


def _required_fields(where: str, data: dict[str, Any], keys: tuple[str, ...]) -> Iterator[str]:
    for key in keys:
        if key not in data:
            yield f"{where}.{key} is required"


def _text(
    data: dict[str, Any],
    key: str,
    limit: int | None,
    pattern: re.Pattern[str] | None,
    meaning: str,
    *,
    where: str = "",
) -> Iterator[str]:
    if key not in data:
        return
    value = data[key]
    if not isinstance(value, str):
        yield f"{where}{key} must be text"
        return
    if limit is not None and len(value) > limit:
        yield f"{where}{key} is longer than {limit} characters"
    if pattern is not None and not pattern.match(value):
        yield f"{where}{key} must be {meaning}"
