"""What people write shows in Teams as they typed it: card Markdown in a contribution
makes no link (with a label of the writer's choosing), no bold, no code."""

from __future__ import annotations

import re

from bot.channels.teams.cards import render
from bot.engine.messages import Fields, ItemList, ListItem, Message, Paragraph
from bot.runtime import Runtime
from tests.fakes.bot_connector import FakeConnector, buttons_of, texts_of
from tests.teams.flows import collecting
from tests.teams.traffic import BOB, Teams, settled

LURE = "[klik hier](https://evil.example/login) en **vet** en `code`"
# A link in card Markdown: [label](url) whose opening bracket is not escaped.
_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")


def _texts(message: Message) -> list[str]:
    [card] = render(message, round_id=None, language="nl")
    out = []
    for element in card["body"]:
        if element["type"] == "TextBlock":
            out.append(element["text"])
        for fact in element.get("facts", []):
            out += [fact["title"], fact["value"]]
    return out


def test_an_item_its_author_and_a_fact_show_markdown_as_typed() -> None:
    listed = ItemList("Incidenten", (ListItem(LURE, author="**Bob**", note=LURE),))
    texts = _texts(Message(text="x", blocks=(listed, Fields((("Casus", LURE),)))))
    assert not [t for t in texts if _LINK.search(t)]
    assert r"\[klik hier\](https://evil.example/login) en \*\*vet\*\* en \`code\`" in texts


def test_a_paragraph_keeps_our_bold_but_makes_no_link() -> None:
    [text] = _texts(Message(text="x", blocks=(Paragraph(f"*Gekozen*: {LURE}"),)))
    assert text.startswith("**Gekozen**: ")
    assert not _LINK.search(text)


async def test_a_contribution_with_a_link_is_no_link_on_the_card(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game = await collecting(teams, runtime)
    root = game.root
    await game.press(BOB, "open_form")
    chat = connector.personal_chat_of(BOB.teams_id)
    assert chat is not None
    form = connector.in_conversation(chat)[-1]
    [submit] = buttons_of(form.activity)
    inputs = {i["id"]: LURE for i in submit["inputs"] if i["type"] == "Input.Text"}
    click = teams.click(BOB, submit, on=form.id, conversation=chat, inputs=inputs)
    assert (await teams.send(click)).status == 202
    await settled(runtime, connector)

    shown = texts_of(connector.current(root))
    assert any("klik hier" in t for t in shown), "the contribution is on the card"
    assert not [t for t in shown if _LINK.search(t)]
