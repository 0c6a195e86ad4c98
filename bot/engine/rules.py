"""The question round's rule, once for the form and the chat: a question, and not
advice in the shape of one ("Heb je al eens ...?", "Why don't you ...?").

The patterns catch the classic openings only, so a real question is not refused
for its words; what slips through the facilitator can still return as advice in
disguise (`ReturnQuestion`).
"""

from __future__ import annotations

import re

from bot.engine.errors import DomainError

# Each opens a sentence that proposes what the case owner should do.
_DISGUISED_ADVICE = re.compile(
    r"""^(?:
        # Dutch
        (?:heb|had)\ je\ (?:er\ )?(?:al\ eens|weleens|wel\ eens|ooit)\ (?:\w+\ ){0,4}?
            (?:geprobeerd|overwogen|gedacht|aan\ gedacht|gesproken|gevraagd|gezegd)\b
      | (?:heb|had)\ je\ (?:er\ )?(?:al\ )?(?:eens\ )?(?:aan\ gedacht|overwogen)\b
      | (?:zou|kun|kan|moet|wil)\ je\ (?:het\ |dat\ |er\ )?(?:niet|beter|eens\ proberen)\b
      | waarom\ (?:probeer|doe|ga|vraag|neem|zeg|laat|geef|pak|maak|bel|stuur|spreek|kies)
            \ je\ (?:\w+\ ){0,2}?niet\b
      | (?:is|zou|was)\ (?:het|dat)\ (?:niet\ |geen\ )?(?:een\ )?
            (?:idee|beter|handig|slim|verstandig|goed)\b
      | wat\ (?:nou\ )?als\ je\b
      # English
      | have\ you\ (?:ever\ )?(?:thought\ about|thought\ of|considered|tried)\b
      | why\ (?:don't|do\ not|not)\b
      | (?:wouldn't|would|isn't|is)\ it\ (?:not\ )?(?:be\ )?(?:better|wise|an\ idea|a\ good\ idea)\b
      | (?:couldn't|can't|shouldn't|wouldn't)\ you\b
      | (?:could|should|would)\ you\ not\b
      | what\ if\ you\b
      | how\ about\b
    )""",
    re.VERBOSE,
)


def disguised_advice(text: str) -> bool:
    """Whether a question opens the way advice in disguise does."""
    plain = " ".join(text.lower().replace("\u2019", "'").split())
    # Quotes, dashes and markup before the first word.
    plain = plain.lstrip("\"'\u201c\u201d\u2018\u2013\u2014-*_ ")
    return _DISGUISED_ADVICE.match(plain) is not None


def question_rule(text: str) -> None:
    """Refuse what is not a question in a question round (the same in form and chat)."""
    if not text.endswith("?"):
        raise DomainError("not_a_question")
    if disguised_advice(text):
        raise DomainError("advice_as_question")
