"""Export: everything stored about one person, from the CLI and privately in the chat."""

from __future__ import annotations

import json
from pathlib import Path

from bot.runtime import Runtime
from storage import list_audit
from storage.audit import AUDIT_EXPORT
from tests.fakes.clock import ManualClock
from tests.privacy.cli import run_privacy
from tests.privacy.played import play_round
from tests.web.conftest import ANN, BOB, WebChat


async def test_the_json_export_holds_every_text_of_the_person_and_nothing_of_others(
    web: WebChat, runtime: Runtime, clock: ManualClock, database_env: None
) -> None:
    first = await play_round(web, "een")
    second = await play_round(web, "twee")
    code, out, err = run_privacy(clock, "export", "--user", BOB)
    assert code == 0, err
    data = json.loads(out)
    assert data["subject"] == {"platform": "web", "workspace": "local", "user_id": BOB}
    exported = json.dumps(data, ensure_ascii=False)
    bobs = first.written[BOB] + second.written[BOB]
    assert [text for text in bobs if text not in exported] == []
    anns = first.written[ANN] + second.written[ANN]
    assert [text for text in anns if text in exported] == [], "only Bob's own words"
    assert [m["display_name"] for m in data["memberships"]] == ["Bob"]
    assert sorted(r["round_id"] for r in data["rounds"]) == sorted(
        (first.round_id, second.round_id)
    )
    assert [r["roles"] for r in data["rounds"]] == [["Tijdbewaker / Timekeeper"]] * 2
    assert any(r["reflections"] for r in data["rounds"])
    with runtime.sessions() as session:
        entries = list_audit(session, action=AUDIT_EXPORT)
    assert [e.target for e in entries] == [f"web:local:{BOB}"]


async def test_the_markdown_export_is_readable_in_either_language(
    web: WebChat, clock: ManualClock, database_env: None, tmp_path: Path
) -> None:
    played = await play_round(web, "md")
    target = tmp_path / "bob.md"
    code, out, _err = run_privacy(
        clock, "export", "--user", BOB, "--format", "markdown", "-o", str(target)
    )
    assert code == 0 and str(target) in out
    dutch = target.read_text(encoding="utf-8")
    assert dutch.startswith("# Wat dialoog over je bewaart")
    assert "## Lidmaatschap" in dutch and "## Ronde: Incidentmethode" in dutch
    assert all(text in dutch for text in played.written[BOB])
    code, english, _err = run_privacy(
        clock, "export", "--user", BOB, "--format", "markdown", "--language", "en"
    )
    assert code == 0
    assert english.startswith("# What dialoog keeps about you") and "## Membership" in english


async def test_an_unknown_person_gets_a_clear_answer(
    web: WebChat, clock: ManualClock, database_env: None
) -> None:
    await web.say(ANN, "hallo")
    code, out, err = run_privacy(clock, "export", "--user", "web:nobody")
    assert code == 1 and out == ""
    assert "nothing is stored about user 'web:nobody'" in err


async def test_my_data_in_the_chat_arrives_in_my_private_view_only(
    web: WebChat, runtime: Runtime
) -> None:
    played = await play_round(web, "zelf")
    answer = await web.say(BOB, "/dialoog mijn gegevens")
    assert answer["accepted"]
    assert "privébericht" in answer["messages"][0]["text"]
    await web.settled()
    bob = (await web.timeline(BOB))["messages"]
    private = "\n".join(m["message"]["text"] for m in bob if m["private"])
    assert "Wat dialoog over je bewaart" in private
    assert [text for text in played.written[BOB] if text not in private] == []
    ann = (await web.timeline(ANN))["messages"]
    assert not any("Wat dialoog over je bewaart" in m["message"]["text"] for m in ann)
    with runtime.sessions() as session:
        entries = list_audit(session, action=AUDIT_EXPORT)
    assert [(e.actor, e.target) for e in entries] == [(f"web:local:{BOB}", f"web:local:{BOB}")]


async def test_my_data_in_english(web: WebChat) -> None:
    await web.say(ANN, "/dialoog taal en")
    await web.say(BOB, "Hello everyone, Bob here")
    answer = await web.say(BOB, "/dialoog my data")
    assert "private message" in answer["messages"][0]["text"]
    await web.settled()
    bob = (await web.timeline(BOB))["messages"]
    private = "\n".join(m["message"]["text"] for m in bob if m["private"])
    assert "What dialoog keeps about you" in private and "Hello everyone, Bob here" in private
