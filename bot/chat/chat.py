"""What every channel does with a typed command, a click or a thread reply.

Channels stay thin: they turn their platform's payload into (place, person,
text) or (action, value, fields), call this, and render the reply.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.chat.grammar import parse
from bot.chat.guarded import ACTIONS as GUARD_ACTIONS
from bot.chat.guarded import PupilGuard
from bot.chat.texts import TEXTS
from bot.engine import commands as cmd
from bot.engine.actions import OPEN_FORM, FieldValue, MalformedAction, command_for
from bot.engine.errors import DomainError
from bot.engine.messages import Button, Buttons, ItemList, ListItem, Message, Paragraph
from bot.engine.view import card
from bot.i18n import Language, translate
from bot.scheduler.planner import ACTIONS as PLAN_ACTIONS
from bot.scheduler.planner import PlanAnswer, Planner
from bot.service.places import Person, Place
from bot.service.rounds import Outcome, RoundService
from protocols.schema import CollectStep, RoundRobinStep, SpeakStep
from protocols.sector import sector_of, word

# The words `/dialoog sector` names to show what changes.
_SECTOR_EXAMPLE: dict[Language, tuple[str, ...]] = {
    "nl": ("leraar", "leerlingen", "jaargroep"),
    "en": ("teacher", "pupils", "year_group"),
}

log = logging.getLogger(__name__)

START = "start"
# Form submissions get a short private "saved"; clicks show on the card itself.
_FORMS = {"contribute", "vote", "respond", "pick", "reflect", "add_action", "report_action"}


@dataclass(frozen=True)
class Reply:
    """What the person who typed or clicked gets back at once, privately."""

    messages: tuple[Message, ...] = ()
    # A form to open for them (a Slack modal, a Teams card, a web dialog).
    form: Message | None = None
    round_id: str | None = None
    accepted: bool = True
    error_code: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # The messages are for this person's eyes only (the guard's question): a channel
    # that answers where others read along sends them to the person's private chat.
    private: bool = False


class Chat:
    def __init__(
        self,
        service: RoundService,
        *,
        command_name: str = "/dialoog",
        planner: Planner | None = None,
    ) -> None:
        self.service = service
        self.command_name = command_name
        # `/dialoog plan` and its forms and buttons (bot.scheduler).
        self.planner = planner or Planner(service, command_name=command_name)
        # Holds back contributions that seem to name a pupil (bot.guard).
        self.guard = PupilGuard(service)

    def t(self, language: Language, key: str, **params: object) -> str:
        return translate(TEXTS, key, language, cmd=self.command_name, **params)

    def say(self, language: Language, key: str, **params: object) -> Reply:
        text = self.t(language, key, **params)
        return Reply(messages=(Message(text=text, blocks=(Paragraph(text),)),))

    # -- typed commands ---------------------------------------------------------------

    def command(self, place: Place, person: Person, text: str, *, key: str | None = None) -> Reply:
        language = self.service.team_language(place)
        parsed = parse(text)
        match parsed.verb:
            case "help":
                return self.say(language, "help")
            case "unknown":
                hint = (
                    self.t(language, "did_you_mean", word=parsed.suggestion)
                    if parsed.suggestion
                    else ""
                )
                reply = self.say(language, "unknown", typed=parsed.typed, hint=hint)
                return Reply(messages=reply.messages, accepted=False, error_code="unknown_command")
            case "protocols":
                return Reply(messages=(self._protocol_list(language),))
            case "start":
                if parsed.argument is None:
                    return Reply(messages=(self._choice(language, parsed.mode),))
                outcome = self.service.start(
                    place, person, parsed.argument, mode=parsed.mode or "live", key=key
                )
                return self._answer(outcome, language, saved=False)
            case "status":
                info = self.service.active_round(place)
                if info is None:
                    return self.say(language, "no_round")
                now = self.service.clock.now()
                messages = [card(info.state, now)]
                lost = self.service.undelivered(info.round_id)
                if lost:
                    messages.append(self.say(language, "undelivered", count=lost).messages[0])
                return Reply(messages=tuple(messages), round_id=info.round_id)
            case "stop":
                info = self.service.active_round(place)
                if info is None:
                    return self.say(language, "no_round")
                outcome = self.service.handle(
                    info.round_id, cmd.Cancel(user=person.user_id), key=key
                )
                return self._answer(outcome, language, saved=False)
            case "plan":
                return _planned(self.planner.overview(place))
            case "language":
                wanted = parsed.argument
                if wanted not in ("nl", "en"):
                    return self.say(language, "language_unknown")
                if self.service.active_round(place) is not None:
                    return self.say(language, "language_busy")
                self.service.set_language(place, wanted)  # type: ignore[arg-type]
                return self.say(wanted, "language_set")  # type: ignore[arg-type]
            case "sector":
                return self._sector(place, language, parsed.argument)
        raise AssertionError(parsed.verb)

    def _sector(self, place: Place, language: Language, typed: str | None) -> Reply:
        if typed is None:
            current = self.service.team_sector(place)
            if current is None:
                return self.say(language, "sector_none")
            named = self.t(language, f"sector.{current}")
            return self.say(language, "sector_current", sector=named)
        wanted = sector_of(typed)
        if wanted is None:
            return replace(
                self.say(language, "sector_unknown", typed=typed),
                accepted=False,
                error_code="sector_unknown",
            )
        if self.service.active_round(place) is not None:
            return self.say(language, "sector_busy")
        self.service.set_sector(place, wanted)
        words = {t: word(language, t, wanted) for t in _SECTOR_EXAMPLE[language]}
        return self.say(
            language,
            "sector_set",
            sector=self.t(language, f"sector.{wanted}"),
            words=", ".join(w for w in words.values() if w),
        )

    # -- clicks and forms ---------------------------------------------------------------

    def click(
        self,
        place: Place,
        person: Person,
        action: str,
        value: str,
        fields: Mapping[str, FieldValue],
        *,
        round_id: str | None,
        key: str | None = None,
    ) -> Reply:
        if action in PLAN_ACTIONS:
            # Planning lives outside any round: route it before the engine's actions.
            answer = self.planner.click(place, person, action, value, fields, key=key)
            return _planned(answer)
        language = self.service.team_language(place)
        if action == START:
            protocol, _, mode = value.partition(":")
            outcome = self.service.start(
                place, person, protocol, mode="async" if mode == "async" else "live", key=key
            )
            return self._answer(outcome, language, saved=False)
        if round_id is None:
            log.info("click without a round action=%s", action)
            reply = self.say(language, "malformed")
            return Reply(messages=reply.messages, accepted=False, error_code="malformed")
        if action == OPEN_FORM:
            panel = self.service.panel(round_id, person.user_id, value)
            if panel is None:
                state = self.service.round(round_id)
                if state is not None and state.active and person.user_id not in state.participants:
                    error = DomainError("not_joined")
                    return self._answer(Outcome.refused(round_id, error), language, saved=False)
                return self.say(language, "nothing_to_fill")
            return Reply(form=panel, round_id=round_id)
        if action in GUARD_ACTIONS:
            return self._guard_choice(person, action, value, fields, round_id, language, key)
        try:
            command = command_for(action, value, fields, user=person.user_id, name=person.name)
        except MalformedAction as error:
            log.warning("malformed action round=%s: %s", round_id, error)
            reply = self.say(language, "malformed")
            return Reply(messages=reply.messages, accepted=False, error_code="malformed")
        outcome = self.guard.handle(round_id, command, key=key)
        if outcome.held is not None:
            return self._held(outcome, person, language)
        return self._answer(outcome, language, saved=action in _FORMS, round_id=round_id)

    # -- replies in a round's thread ----------------------------------------------------

    def thread_message(
        self,
        place: Place,
        person: Person,
        text: str,
        *,
        round_id: str,
        key: str | None = None,
        shown: bool = True,
    ) -> Reply | None:
        """A reply in the round's thread counts as a contribution when the current step
        takes one from this person; otherwise it is just conversation (None).
        `shown`: the platform already shows the line to the others (Slack, Teams)."""
        state = self.service.round(round_id)
        if state is None or state.step is None or person.user_id not in state.participants:
            return None
        step = state.step
        if not isinstance(step, CollectStep | SpeakStep | RoundRobinStep):
            return None
        if person.user_id not in state.actors(step):
            return None
        language = state.language
        if isinstance(step, CollectStep) and step.visibility != "open":
            # The thread is public; a hidden contribution belongs in the form.
            return self.say(language, "use_the_form")
        command = cmd.Contribute(user=person.user_id, text=text, step_id=step.id)
        outcome = self.guard.handle(round_id, command, key=key)
        if outcome.held is not None:
            return self._held(outcome, person, language, thread=shown)
        if outcome.accepted:
            return Reply(round_id=round_id)
        return self._answer(outcome, language, saved=False, round_id=round_id)

    # -- the pupil-name guard's question and its answers (bot/chat/guarded.py) -------------

    def _held(
        self, outcome: Outcome, person: Person, language: Language, *, thread: bool = False
    ) -> Reply:
        question = self.guard.question(outcome, person.user_id, language, thread=thread)
        if question is None:
            # Asked again for a contribution whose author has chosen meanwhile.
            return self._answer(
                Outcome.refused(outcome.round_id, DomainError("held_gone")), language, saved=False
            )
        return Reply(messages=(question,), round_id=outcome.round_id, private=True)

    def _guard_choice(
        self,
        person: Person,
        action: str,
        value: str,
        fields: Mapping[str, FieldValue],
        round_id: str,
        language: Language,
        key: str | None,
    ) -> Reply:
        try:
            answer = self.guard.choose(
                person.user_id, action, value, fields, round_id=round_id, language=language, key=key
            )
        except ValueError:
            reply = self.say(language, "malformed")
            return Reply(messages=reply.messages, accepted=False, error_code="malformed")
        if isinstance(answer, Message):
            return Reply(form=answer, round_id=round_id)
        if answer.held is not None:
            return self._held(answer, person, language)
        return self._answer(answer, language, saved=True, round_id=round_id)

    # -- pieces -------------------------------------------------------------------------------

    def _answer(
        self, outcome: Outcome, language: Language, *, saved: bool, round_id: str | None = None
    ) -> Reply:
        rid = outcome.round_id or round_id
        if not outcome.accepted:
            # The engine's messages name the command as Slack's `/dialoog`; Teams says `@dialoog`.
            text = (outcome.reply(language) or "").replace("`/dialoog", f"`{self.command_name}")
            return Reply(
                messages=(Message(text=text, blocks=(Paragraph(text),)),),
                round_id=rid,
                accepted=False,
                error_code=outcome.error_code,
            )
        if saved:
            return Reply(messages=self.say(language, "saved").messages, round_id=rid)
        return Reply(round_id=rid)

    def _protocol_list(self, language: Language) -> Message:
        items = []
        for protocol in self.service.library:
            if "live" in protocol.modes:
                modes = " / ".join(protocol.modes)
            else:
                modes = self.t(
                    language, "async_only", days=max(1, round(protocol.async_hours / 24))
                )
            note = self.t(
                language,
                "protocol_line",
                minutes=protocol.live_minutes,
                modes=modes,
                id=protocol.id,
            )
            items.append(ListItem(protocol.title.get(language), note=note))
        title = self.t(language, "protocols")
        return Message(text=title, blocks=(ItemList(title, tuple(items)),))

    def _choice(self, language: Language, mode: str | None) -> Message:
        title = self.t(language, "choose")
        buttons = tuple(
            Button(START, p.title.get(language), value=f"{p.id}:{mode}" if mode else p.id)
            for p in self.service.library
            if mode is None or mode in p.modes
        )
        return Message(text=title, blocks=(Paragraph(title), Buttons(buttons)))


def _planned(answer: PlanAnswer) -> Reply:
    return Reply(
        messages=answer.messages,
        form=answer.form,
        accepted=answer.accepted,
        error_code=answer.error_code,
    )
