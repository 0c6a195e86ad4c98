"""The pupil-name guard on the way in: a contribution that seems to name a pupil is
held back and its author asked, privately, what to do (bot.guard finds; this asks).

Every channel gets the same question as a neutral message with three buttons;
the choice comes back as a click like any other.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date

from bot.engine import commands as cmd
from bot.engine.actions import FieldValue
from bot.engine.errors import DomainError
from bot.engine.messages import (
    Button,
    Buttons,
    Context,
    Form,
    ItemList,
    ListItem,
    Message,
    Paragraph,
    TextInput,
)
from bot.engine.state import RoundState
from bot.engine.vocabulary import Action
from bot.guard import Finding, pseudonymise, scan
from bot.guard.names import first_names
from bot.guard.texts import TEXTS
from bot.i18n import Language, translate
from bot.service.rounds import Outcome, RoundService

log = logging.getLogger(__name__)

# What the guard reads: the free text of each command that carries one (the case
# and contributions, the case owner's answers, action points, their reports, and
# reflections). Every other command passes untouched.
GUARDED = {
    "contribute": "text",
    "respond": "text",
    "add_action": "text",
    "report_action": "note",
    "reflect": "text",
    # A line in the round's thread that counts (a contribution, an answer).
    "say": "text",
}


class PupilGuard:
    def __init__(self, service: RoundService) -> None:
        self.service = service
        # Read the name lists now, not while the first contribution waits for them.
        first_names()

    def handle(self, round_id: str, command: cmd.Command, *, key: str | None) -> Outcome:
        """Like RoundService.handle, but a text that seems to name a pupil is held
        back (Outcome.held) instead of added."""
        field = GUARDED.get(command.kind)
        text = getattr(command, field, "") if field else ""
        if not field or not isinstance(text, str) or not text.strip():
            return self.service.handle(round_id, command, key=key)
        state = self.service.round(round_id)
        findings = self._scan(state, text) if state is not None else ()
        if not findings:
            return self.service.handle(round_id, command, key=key)
        outcome = self.service.hold(round_id, command, field=field, key=key)
        if outcome.held is not None and not outcome.replayed:
            # Kinds and counts only: the words found are the content we protect.
            log.info("guard: held a contribution round=%s kinds=%s", round_id, _kinds(findings))
        return outcome

    def question(
        self, outcome: Outcome, user: str, language: Language, *, thread: bool = False
    ) -> Message | None:
        """The private question about a held contribution: replace, change or post.
        `thread`: it was written in the round's thread, where the platform shows it."""
        assert outcome.held is not None and outcome.round_id is not None
        text = self.service.held_text(outcome.held, user)
        if text is None:
            return None
        state = self.service.round(outcome.round_id)
        findings = self._scan(state, text)
        what = _what(findings, language)
        ask = translate(TEXTS, "question", language, what=what)
        buttons = Buttons(
            (
                Button(
                    Action.GUARD_REPLACE, _t(language, "button.replace"), outcome.held, "primary"
                ),
                Button(Action.GUARD_EDIT, _t(language, "button.edit"), outcome.held),
                Button(Action.GUARD_POST, _t(language, "button.post"), outcome.held),
            )
        )
        proposal = pseudonymise(text, findings, language)
        hint = (Context(_t(language, "thread_hint")),) if thread else ()
        return Message(
            # The proposal in the text too: two answers held from one form are two
            # questions, and a channel that drops repeated texts keeps both.
            text=f"{ask} {proposal}",
            blocks=(
                Paragraph(ask),
                ItemList(_t(language, "proposal"), (ListItem(proposal),)),
                *hint,
                buttons,
            ),
            audience=user,
        )

    def choose(
        self,
        user: str,
        action: str,
        pending_id: str,
        fields: Mapping[str, FieldValue],
        *,
        round_id: str,
        language: Language,
        key: str | None,
    ) -> Outcome | Message:
        """What the author chose: an outcome, or the form to change the text in."""
        if action == Action.GUARD_EDIT:
            text = self.service.held_text(pending_id, user)
            if text is None:
                return Outcome.refused(round_id, DomainError("held_gone"))
            return _edit_form(pending_id, text, language)
        if action == Action.GUARD_REWRITE:
            changed = fields.get("text")
            if not isinstance(changed, str) or not changed.strip():
                raise ValueError("text")
            return self._rewrite(round_id, pending_id, user, changed.strip(), key=key)
        state = self.service.round(round_id)
        if action == Action.GUARD_REPLACE:

            def rewrite(text: str) -> str:
                return pseudonymise(text, self._scan(state, text), language)

        else:

            def rewrite(text: str) -> str:
                return text

        outcome = self.service.release(round_id, pending_id, user, rewrite, key=key)
        log.info("guard: %s round=%s accepted=%s", action, round_id, outcome.accepted)
        return outcome

    def _rewrite(
        self, round_id: str, pending_id: str, user: str, text: str, *, key: str | None
    ) -> Outcome:
        state = self.service.round(round_id)
        findings = self._scan(state, text)
        if not findings:
            outcome = self.service.release(round_id, pending_id, user, lambda _: text, key=key)
            log.info("guard: changed and posted round=%s accepted=%s", round_id, outcome.accepted)
            return outcome
        # For the same step, question or action as the first version.
        outcome = self.service.rehold(round_id, pending_id, user, text, key=key)
        log.info("guard: changed, still held round=%s kinds=%s", round_id, _kinds(findings))
        return outcome

    def _scan(self, state: RoundState | None, text: str) -> tuple[Finding, ...]:
        known = list(state.participants.values()) if state is not None else []
        if state is not None and state.starter_name:
            known.append(state.starter_name)
        return scan(text, known_names=known, today=self._today())

    def _today(self) -> date:
        return self.service.clock.now().date()


def _edit_form(pending_id: str, text: str, language: Language) -> Message:
    title = _t(language, "edit.title")
    form = Form(
        action=Action.GUARD_REWRITE,
        title=title,
        submit_label=_t(language, "edit.submit"),
        inputs=(TextInput("text", _t(language, "edit.label"), initial=text),),
        value=pending_id,
    )
    return Message(text=title, blocks=(form,))


def _what(findings: tuple[Finding, ...], language: Language) -> str:
    # A full name is a name: "een naam en een volledige naam" would say it twice.
    kinds = list(dict.fromkeys("name" if f.kind == "full_name" else f.kind for f in findings))
    # None found on a second look (a participant of that name joined since): a name.
    names = [_t(language, f"kind.{kind}") for kind in kinds] or [_t(language, "kind.name")]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + _t(language, "and") + names[-1]


def _kinds(findings: tuple[Finding, ...]) -> str:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    return ",".join(f"{kind}:{n}" for kind, n in sorted(counts.items()))


def _t(language: Language, key: str) -> str:
    return translate(TEXTS, key, language)
