"""What every view needs: the round, the moment and the team's language bound once,
the slots and focuses the views name, and the catalog's texts with what people
wrote kept literal."""

from __future__ import annotations

from datetime import date, datetime

from bot.engine.messages import (
    Context,
    ItemList,
    ListItem,
    Message,
    Paragraph,
    Spans,
    plain,
    translated,
)
from bot.engine.state import RoundState
from bot.engine.texts import TEXTS
from bot.engine.vocabulary import Action
from bot.i18n import translate
from bot.words import short_day, short_moment

# The slot of the round card: one message, updated in place.
CARD = "card"
# What a live step's "more time" adds, on the card and when time is up.
EXTEND_MINUTES = 5
# Panel focuses (a button's value): the facilitator's role form, the report on last
# time's actions, and the form that changes one's own item ("edit:<item id>").
ROLES = "roles"
REPORT = "report"
EDIT_FOCUS = f"{Action.EDIT}:"
# The panel that holds what the current step shows of earlier steps, unfolded
# (where a channel cannot fold, the card links to it).
CONTEXT = "context"


class View:
    """Binds a state, a moment and the team's language for the views."""

    def __init__(self, state: RoundState, now: datetime) -> None:
        self.s = state
        self.now = now
        self.lang = state.language

    def t(self, key: str, **params: object) -> str:
        return translate(TEXTS, key, self.lang, **params)

    def spans(self, key: str, **params: object) -> Spans:
        """A catalog text whose parameters are someone's words (a name, a
        contribution): each a literal span, never read as markup."""
        return translated(TEXTS, key, self.lang, **params)

    def paragraph(self, key: str, **params: object) -> Paragraph:
        return Paragraph.of(self.spans(key, **params))

    def context(self, key: str, **params: object) -> Context:
        spans = self.spans(key, **params)
        return Context(plain(spans), spans=spans)

    def when(self, moment: datetime) -> str:
        return short_moment(self.lang, moment, self.s.timezone)

    def day(self, day: date) -> str:
        return short_day(self.lang, day)


def notice(v: View, key: str, audience: str | None = None, **params: object) -> Message:
    """A one-paragraph message whose parameters are someone's words."""
    return Message(text=v.t(key, **params), blocks=(v.paragraph(key, **params),), audience=audience)


def plain_notice(text: str, audience: str | None = None) -> Message:
    """A one-paragraph message of the catalog's own words only."""
    return Message(text=text, blocks=(Paragraph(text),), audience=audience)


def open_actions(v: View) -> ItemList:
    """Last time's action points and how each stands (on the card, and where a step
    reviews them)."""
    s = v.s
    listed = []
    for a in s.open_actions:
        key, said = s.progress(a)
        note = v.t("card.action", owner=a.owner_name, due=v.day(a.due)) + f" · {v.t(key)}"
        if said:
            note += f": {said}"
        if a.action_id in s.settled:
            note += f" · {v.t('settled.' + s.settled[a.action_id])}"
        listed.append(ListItem(a.text, note=note, marked=a.action_id in s.reports))
    return ItemList(v.t("card.open_actions"), tuple(listed))


def offered_role(v: View) -> str:
    """The name of the role on offer now, as it reads inside a sentence."""
    offer = v.s.offer
    role = v.s.protocol.role(offer.role) if offer is not None else None
    return role.name.get(v.lang).lower() if role is not None else ""
