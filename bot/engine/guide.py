"""What guides people through a round beyond the card: each question of a respond
step in a message of its own (what a line in the chat answers), a question returned
as advice in disguise, someone leaving, and who leads when the facilitator cannot.

Pure like `view`; `view.card` and `view.notices` take their parts from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.engine import events as ev
from bot.engine.messages import (
    Block,
    Button,
    Buttons,
    ChoiceInput,
    Context,
    Form,
    Heading,
    Message,
    Option,
    Paragraph,
    Span,
    Spans,
    plain,
    translated,
)
from bot.engine.state import Item, RoundState
from bot.engine.vocabulary import Action
from bot.i18n import Catalog, translate
from protocols.schema import FACILITATOR, CollectStep, RespondStep

# A question's own message in the thread, updated in place when it is answered.
QUESTION_SLOT = "question:"
# The card's button for whoever takes over leading the round.
TAKE_OVER = Action.TAKE_OVER
# The focus of the facilitator's form to return a question (the value of its button).
RETURNS = "returns"

TEXTS: Catalog = {
    "question": ("*Vraag {n} van {total}* · {author}", "*Question {n} of {total}* · {author}"),
    "question.anonymous": ("*Vraag {n} van {total}*", "*Question {n} of {total}*"),
    "question.answer_here": (
        "{owner}, je volgende bericht in dit gesprek is je antwoord op deze vraag.",
        "{owner}, your next message in this conversation answers this question.",
    ),
    "question.answered": ("Beantwoord.", "Answered."),
    "question.returned": (
        "Deze vraag is teruggegeven aan wie hem stelde: het was een advies in vraagvorm.",
        "This question went back to whoever asked it: it was advice phrased as a question.",
    ),
    "returned": (
        "{facilitator} gaf je vraag terug als verkapt advies: _{text}_\n"
        'Hij telt niet meer mee in de ronde. Een vraag als "Heb je al eens ...?" stelt '
        "eigenlijk een oplossing voor; nu gaat het erom te begrijpen wat er gebeurde en wat de "
        "inbrenger dacht of voelde. Bewaar je advies voor later in de ronde.",
        "{facilitator} returned your question as advice in disguise: _{text}_\n"
        'It no longer counts in the round. A question like "Have you tried ...?" really '
        "proposes a solution; now is the time to understand what happened and what the case "
        "owner thought or felt. Keep your advice for later in the round.",
    ),
    "returned.ask_again": (
        "Je kunt nog een andere vraag stellen in deze stap.",
        "You can still ask another question in this step.",
    ),
    "left": (
        "{name} heeft de ronde verlaten; de ronde gaat door zonder {name}.",
        "{name} has left the round; it goes on without them.",
    ),
    "leads": ("{name} leidt nu het gesprek.", "{name} is leading the conversation now."),
    "leader.case_owner": (
        "{name} is nu de inbrenger en kan het gesprek dan niet ook leiden. "
        "Wie neemt het over? Klik op *Neem het gesprek over*.",
        "{name} is the case owner now and cannot also lead the conversation. "
        "Who takes over? Click *Take over leading*.",
    ),
    "leader.nobody": (
        "Niemand leidt de ronde nu. Wie neemt het over? Klik op *Neem het gesprek over*.",
        "Nobody is leading the round now. Who takes over? Click *Take over leading*.",
    ),
    "return.title": ("Verkapt advies teruggeven", "Return advice in disguise"),
    "return.label": (
        "Welke vraag is eigenlijk een advies? Die gaat terug naar wie hem stelde, met uitleg.",
        "Which question is really advice? It goes back to whoever asked it, with why.",
    ),
    "return.submit": ("Geef terug", "Return it"),
    "button.return": ("Verkapt advies?", "Advice in disguise?"),
    "button.take_over": ("Neem het gesprek over", "Take over leading"),
}


def card_blocks(s: RoundState) -> list[Block]:
    """The card's line asking someone to take over leading, while that is needed."""
    if not s.active or not s.leader_wanted:
        return []
    spans = _leader_wanted(s)
    return [Context(plain(spans), spans=spans)]


def card_buttons(s: RoundState) -> list[Button]:
    if not s.active or not s.leader_wanted or s.protocol.role(FACILITATOR) is None:
        return []
    return [Button(TAKE_OVER, _t(s, "button.take_over"))]


def steering_buttons(s: RoundState) -> list[Button]:
    """Beside *Roles*: the facilitator's form to return a question, while there is one."""
    if s.status != "running" or not any(_returnable(s, u) for u in s.steerers()):
        return []
    return [Button(Action.OPEN_FORM, _t(s, "button.return"), value=RETURNS)]


def return_panel(s: RoundState, user: str) -> Message | None:
    """The facilitator's form to return a question as advice in disguise, while the
    question round or its answers run and open questions are in view."""
    if not s.steers(user):
        return None
    options = tuple(Option(i.id, _short(i.text)) for i in _returnable(s, user))
    if not options:
        return None
    title = _t(s, "return.title")
    choice = ChoiceInput("item", _t(s, "return.label"), options)
    form = Form(Action.RETURN_QUESTION, title, _t(s, "return.submit"), (choice,))
    return Message(text=title, blocks=(Heading(title), form), audience=user)


def _returnable(s: RoundState, user: str) -> list[Item]:
    step = s.step
    if step is None:
        return []
    source = step.source if isinstance(step, RespondStep) else step.id
    asked = s.protocol.step(source)
    if not (isinstance(asked, CollectStep) and asked.questions_only):
        return []
    return [i for i in s.items_of(source) if i.id not in s.responses and s.may_see(i, user)]


def notices(before: RoundState | None, new: Sequence[ev.Event], after: RoundState) -> list[Message]:
    out: list[Message] = []
    for event in new:
        match event:
            case ev.ParticipantLeft(user=user):
                out.append(_said(after, "left", name=after.name(user)))
            case ev.RoleAssigned(role=role, user=user, how="handed_over" | "took_over"):
                if role == FACILITATOR:
                    out.append(_said(after, "leads", name=after.name(user)))
            case ev.QuestionReturned(item_id=item_id, by=by):
                out += _returned(before, after, item_id, by)
            case _:
                pass
    if after.active and after.leader_wanted and not (before is not None and before.leader_wanted):
        key, params = _leader_key(after)
        said = _said(after, key, **params)
        buttons = card_buttons(after)
        out.append(
            replace(
                said, blocks=(*said.blocks, Buttons(tuple(buttons))) if buttons else said.blocks
            )
        )
    out += _questions(before, new, after)
    return out


# -- each question of a respond step in a message of its own ------------------------------


def _questions(
    before: RoundState | None, new: Sequence[ev.Event], after: RoundState
) -> list[Message]:
    """The question up next gets its message when it comes up; a question that had
    one is updated in place once it is answered or returned."""
    out: list[Message] = []
    earlier = before.current_question() if before is not None else None
    for event in new:
        match event:
            case ev.ResponseGiven(item_id=item_id) if earlier and earlier.id == item_id:
                out.append(_question(after, earlier, Context(_t(after, "question.answered"))))
            case ev.QuestionReturned(item_id=item_id) if earlier and earlier.id == item_id:
                out.append(
                    _question(after, earlier, Context(_t(after, "question.returned")), text=False)
                )
            case _:
                pass
    step = after.step
    current = after.current_question()
    if current is None or not isinstance(step, RespondStep) or not after.may_see(current, None):
        return out
    if earlier is None or earlier.id != current.id or _step_started(new):
        owner = ", ".join(after.name(u) for u in after.actors(step)) or "-"
        note = translated(TEXTS, "question.answer_here", after.language, owner=owner)
        out.append(_question(after, current, Context(plain(note), spans=note)))
    return out


def _step_started(new: Sequence[ev.Event]) -> bool:
    return any(isinstance(e, ev.StepStarted) for e in new)


def _question(s: RoundState, item: Item, note: Context, *, text: bool = True) -> Message:
    step = s.protocol.step(item.step_id)
    assert step is not None
    questions = s.items_of(item.step_id) if item in s.items else [*s.items_of(item.step_id), item]
    ordered = sorted(questions, key=lambda i: int(i.id[1:]) if i.id[1:].isdigit() else 0)
    n, total = ordered.index(item) + 1, len(ordered)
    if s.shows_author(item):
        said = _said(s, "question", n=n, total=total, author=s.name(item.author))
    else:
        said = _said(s, "question.anonymous", n=n, total=total)
    head = said.text
    blocks: list[Block] = [*said.blocks]
    if text:
        blocks.append(Paragraph.of((Span(item.text),)))
    blocks.append(note)
    return Message(
        text=f"{head}: {item.text}" if text else head,
        blocks=tuple(blocks),
        slot=QUESTION_SLOT + item.id,
    )


def question_of_slot(slot: str) -> str | None:
    """The item id a question's message stands for (a reply to it answers that one)."""
    return slot.removeprefix(QUESTION_SLOT) if slot.startswith(QUESTION_SLOT) else None


# -- pieces -------------------------------------------------------------------------------


def _returned(before: RoundState | None, s: RoundState, item_id: str, by: str) -> list[Message]:
    item = s.returned.get(item_id)
    if item is None:
        return []
    words = {"facilitator": s.name(by), "text": item.text}
    text = _t(s, "returned", **words)
    spans = translated(TEXTS, "returned", s.language, **words)
    step = s.step
    if step is not None and step.id == item.step_id:
        text += "\n" + _t(s, "returned.ask_again")
        spans += (Span("\n"), *translated(TEXTS, "returned.ask_again", s.language))
    return [Message(text=text, blocks=(Paragraph.of(spans),), audience=item.author)]


def _leader_wanted(s: RoundState) -> Spans:
    key, params = _leader_key(s)
    return translated(TEXTS, key, s.language, **params)


def _leader_key(s: RoundState) -> tuple[str, dict[str, str]]:
    """Whom the round needs a new leader from, as a text's key and its parameters."""
    steering = s.steerers()
    if steering and s.case_owner in steering:
        return "leader.case_owner", {"name": s.name(s.case_owner or "")}
    return "leader.nobody", {}


def _t(s: RoundState, key: str, **params: object) -> str:
    return translate(TEXTS, key, s.language, **params)


def _short(text: str, limit: int = 150) -> str:
    # Choice labels are short on every platform; the full question is on the card.
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _said(s: RoundState, key: str, **params: object) -> Message:
    """A one-paragraph message whose parameters are someone's words, kept literal."""
    spans = translated(TEXTS, key, s.language, **params)
    return Message(text=_t(s, key, **params), blocks=(Paragraph.of(spans),))
