"""What every channel does with a typed command, a click or a thread reply.

Channels stay thin: they turn their platform's payload into (place, person,
text) or (action, value, fields), call this, and render the reply.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Concatenate, ParamSpec, TypeVar

from bot.chat import which
from bot.chat.edge import storable
from bot.chat.grammar import parse
from bot.chat.guarded import PupilGuard
from bot.chat.refill import focus_of, refilled
from bot.chat.texts import TEXTS
from bot.engine import commands as cmd
from bot.engine.actions import FieldValue, MalformedAction, command_for
from bot.engine.errors import DomainError
from bot.engine.messages import Button, Buttons, ItemList, ListItem, Message, Paragraph
from bot.engine.state import RoundState
from bot.engine.view import card, confirming, own_item_buttons
from bot.engine.vocabulary import FORMS, GUARD, GUARD_SETTLES, PLANNING, Action, action_of
from bot.i18n import Language, translate
from bot.insights.desk import DeskAnswer, InsightsDesk
from bot.privacy.delivery import send_export
from bot.scheduler.planner import PlanAnswer, Planner
from bot.scheduler.school_days import SchoolDays
from bot.service.places import Person, Place
from bot.service.privacy import Change, PrivacySettings, TeamPrivacy
from bot.service.rounds import Outcome, RoundService
from bot.service.whereabouts import belongs
from protocols.schema import CollectStep, RespondStep
from protocols.sector import sector_of, word

# The words `/dialoog sector` names to show what changes.
_SECTOR_EXAMPLE: dict[Language, tuple[str, ...]] = {
    "nl": ("leraar", "leerlingen", "jaargroep"),
    "en": ("teacher", "pupils", "year_group"),
}

log = logging.getLogger(__name__)

# Kept for the channels that name it; the vocabulary is bot.engine.vocabulary.
START = Action.START
# What may follow `bewaren` to go back to the school's default, and `terugnemen`.
_DEFAULT_WORDS = ("standaard", "default", "school")
_ON_OFF = {
    **dict.fromkeys(("aan", "on", "ja", "yes"), True),
    **dict.fromkeys(("uit", "off", "nee", "no"), False),
}
# Refusals that ask the facilitator first; the answer carries the confirming button.
_ASKED_FIRST = {"confirm_advance", "confirm_cancel"}
# The error code of a click or reply whose round lives in another workspace or channel.
NOT_HERE = "not_here"

# The answers to the private question whether one takes the role a vote gave, and
# what their author is told back.
_ANSWERS = {Action.ACCEPT_ROLE: "offer_taken", Action.DECLINE_ROLE: "offer_passed"}


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
    # The click answered the private message it was on (the guard's question): the
    # channel takes that message away, or turns it into this reply.
    settles: bool = False
    # A repeated delivery of something handled before (a platform's retry): the
    # channel answers the platform and sends the person nothing more.
    replayed: bool = False
    # The team's language, for what the channel adds itself (a modal's labels, an
    # error); None when the chat layer did not need it (bot.chat.inbound fills it in).
    language: Language | None = None


P = ParamSpec("P")
R = TypeVar("R", bound="Reply | None")


def _storable_input(
    method: Callable[Concatenate[Chat, P], R],
) -> Callable[Concatenate[Chat, P], R]:
    """Every text a channel hands in loses NUL and lone surrogates (bot.chat.edge);
    when what the person wrote changed, their answer says so."""

    def cleaned(chat: Chat, /, *args: P.args, **kwargs: P.kwargs) -> R:
        changed = False

        def clean(value: Any) -> Any:
            nonlocal changed
            if isinstance(value, str):
                kept = storable(value)
                changed = changed or kept != value
                return kept
            if isinstance(value, list):
                return [clean(v) for v in value]
            if isinstance(value, Mapping):
                return {k: clean(v) for k, v in value.items()}
            return value

        def clean_names(value: Any) -> Any:
            # Names and ids are cleaned as well, but are not the person's text.
            if isinstance(value, Place):
                parts = (value.platform, value.workspace, value.channel, value.channel_name)
                return Place(*(storable(part) for part in parts))
            if isinstance(value, Person):
                return Person(storable(value.user_id), storable(value.name))
            return clean(value)

        new_args = [clean_names(a) for a in args]
        new_kwargs = {k: storable(v) if isinstance(v, str) else v for k, v in kwargs.items()}
        reply = method(chat, *new_args, **new_kwargs)  # type: ignore[arg-type]
        if not changed or reply is None:
            return reply
        place = next(a for a in new_args if isinstance(a, Place))
        note = chat.say(chat.service.team_language(place), "cleaned").messages
        return dataclasses.replace(reply, messages=reply.messages + note)

    functools.update_wrapper(cleaned, method)
    return cleaned


class Chat:
    def __init__(
        self,
        service: RoundService,
        *,
        command_name: str = "/dialoog",
        planner: Planner | None = None,
        insights: InsightsDesk | None = None,
    ) -> None:
        self.service = service
        self.command_name = command_name
        # `/dialoog plan` and its forms and buttons (bot.scheduler).
        self.planner = planner or Planner(service, command_name=command_name)
        # `/dialoog regio` and `/dialoog studiedag`: the school calendar plans follow.
        self.school_days = SchoolDays(self.planner)
        # `/dialoog bewaren` and `/dialoog terugnemen` (docs/privacy.md).
        self.privacy = PrivacySettings(service)
        # Holds back contributions that seem to name a pupil (bot.guard).
        self.guard = PupilGuard(service)
        # `/dialoog overzicht`, `naam`, `mijn dossier` (bot.insights).
        self.insights = (insights or InsightsDesk(service)).for_command(command_name)

    def t(self, language: Language, key: str, **params: object) -> str:
        return translate(TEXTS, key, language, cmd=self.command_name, **params)

    def say(self, language: Language, key: str, **params: object) -> Reply:
        text = self.t(language, key, **params)
        return Reply(messages=(Message(text=text, blocks=(Paragraph(text),)),), language=language)

    # -- typed commands ---------------------------------------------------------------

    @_storable_input
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
                return replace(reply, accepted=False, error_code="unknown_command")
            case "protocols":
                return Reply(messages=(self._protocol_list(language),), language=language)
            case "start":
                if parsed.argument is None:
                    return Reply(messages=(self._choice(language, parsed.mode),), language=language)
                outcome = self.service.start(
                    place, person, parsed.argument, mode=parsed.mode or "live", key=key
                )
                return self._answer(outcome, language, saved=False)
            case "status":
                rounds = self.service.active_rounds(place)
                if not rounds:
                    return self.say(language, "no_round")
                now = self.service.clock.now()
                messages = []
                for info in rounds:
                    messages.append(card(info.state, now))
                    lost = self.service.undelivered(info.round_id)
                    if lost:
                        messages.append(self.say(language, "undelivered", count=lost).messages[0])
                latest = rounds[-1].round_id
                return Reply(messages=tuple(messages), round_id=latest, language=language)
            case "stop" | "leave" | "take_over":
                rounds = self.service.active_rounds(place)
                aim = which.meant(parsed.verb, rounds, person.user_id, language)
                if aim.choice is not None:
                    return Reply(messages=(aim.choice,), language=language)
                if aim.round_id is None:
                    return self.say(language, aim.nothing or "no_round")
                return self._on_round(parsed.verb, aim.round_id, person, language, key)
            case "plan":
                return _planned(self.planner.overview(place), language)
            case "region":
                return _planned(self.school_days.region(place, person, parsed.argument), language)
            case "study_day":
                return _planned(
                    self.school_days.study_day(place, person, parsed.argument), language
                )
            case "data":
                sent = send_export(self.service, place, person)
                return self.say(sent.language, "export_sent" if sent.messages else "export_nothing")
            case "insights":
                return _desk(self.insights.overview(place, person, parsed.argument), language)
            case "naming":
                return _desk(self.insights.naming(place, person, parsed.argument), language)
            case "dossier":
                return _desk(self.insights.dossier(place, person), language)
            case "language":
                wanted = parsed.argument
                if wanted not in ("nl", "en"):
                    return self.say(language, "language_unknown")
                self.service.set_language(place, wanted)  # type: ignore[arg-type]
                said = self.say(wanted, "language_set")  # type: ignore[arg-type]
                if self.service.active_round(place) is None:
                    return said
                # A running round keeps the language it started in (its own snapshot).
                keep = self.say(wanted, "language_rounds_keep")  # type: ignore[arg-type]
                return replace(said, messages=said.messages + keep.messages)
            case "retention":
                return self._retention(place, person, language, parsed.argument)
            case "take_back":
                return self._take_back(place, person, language, parsed.argument)
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
        self.service.set_sector(place, wanted)
        words = {t: word(language, t, wanted) for t in _SECTOR_EXAMPLE[language]}
        said = self.say(
            language,
            "sector_set",
            sector=self.t(language, f"sector.{wanted}"),
            words=", ".join(w for w in words.values() if w),
        )
        if self.service.active_round(place) is None:
            return said
        # A running round's words were filled in when it started.
        keep = self.say(language, "sector_rounds_keep")
        return replace(said, messages=said.messages + keep.messages)

    # -- a team's privacy settings ----------------------------------------------------------

    def _retention(
        self, place: Place, person: Person, language: Language, wanted: str | None
    ) -> Reply:
        if wanted is None:
            return self._privacy_shown(language, self.privacy.of(place))
        days: int | None
        if wanted in _DEFAULT_WORDS:
            days = None
        elif wanted.isdigit():
            days = int(wanted)
        else:
            return self._bounds(language, place)
        change, settings = self.privacy.set_days(place, person, days)
        if change is Change.OUT_OF_BOUNDS:
            return self._bounds(language, place)
        if change is Change.NOT_ALLOWED:
            return self._refused(language, "privacy_not_allowed")
        key = "retention_default" if settings.default else "retention_set"
        return self.say(language, key, days=settings.days)

    def _take_back(
        self, place: Place, person: Person, language: Language, wanted: str | None
    ) -> Reply:
        on = _ON_OFF.get(wanted or "")
        if on is None:
            return self._refused(language, "take_back_unknown", code="take_back_unknown")
        change, _settings = self.privacy.set_take_back(place, person, on)
        if change is Change.NOT_ALLOWED:
            return self._refused(language, "privacy_not_allowed")
        return self.say(language, "take_back_set_on" if on else "take_back_set_off")

    def _privacy_shown(self, language: Language, settings: TeamPrivacy) -> Reply:
        source = "retention_source_default" if settings.default else "retention_source_own"
        take_back = "take_back_is_on" if settings.take_back else "take_back_is_off"
        return self.say(
            language,
            "retention_show",
            days=settings.days,
            source=self.t(language, source),
            take_back=self.t(language, take_back),
            min=settings.min_days,
            max=settings.max_days,
        )

    def _bounds(self, language: Language, place: Place) -> Reply:
        settings = self.privacy.of(place)
        return self._refused(
            language,
            "retention_bounds",
            code="retention_out_of_bounds",
            min=settings.min_days,
            max=settings.max_days,
        )

    def _refused(
        self, language: Language, key: str, *, code: str | None = None, **params: object
    ) -> Reply:
        reply = self.say(language, key, **params)
        return replace(reply, accepted=False, error_code=code or key)

    # -- clicks and forms ---------------------------------------------------------------

    @_storable_input
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
        private: bool = False,
    ) -> Reply:
        """`private`: the click came from the person's own conversation with the bot
        (a DM, a modal), where any round of the workspace may be acted on."""
        known = action_of(action)
        if known in PLANNING:
            # Planning lives outside any round: route it before the engine's actions.
            answer = self.planner.click(place, person, known, value, fields, key=key)
            return _planned(answer)
        if (
            known is not None
            and known not in (Action.START, Action.CHOOSE_ROUND)
            and round_id is not None
        ):
            return self._round_click(
                place, person, known, value, fields, round_id, key=key, private=private
            )
        language = self.service.team_language(place)
        if known is None:
            # No button or form of ours carries it: tampered, or from an older version.
            log.info("click with an unknown action")
            reply = self.say(language, "malformed")
            return replace(reply, accepted=False, error_code="malformed")
        if known == Action.START:
            protocol, _, mode = value.partition(":")
            outcome = self.service.start(
                place, person, protocol, mode="async" if mode == "async" else "live", key=key
            )
            return self._answer(outcome, language, saved=False)
        if known == Action.CHOOSE_ROUND:
            try:
                verb, chosen = which.chosen(value)
            except ValueError:
                return replace(
                    self.say(language, "malformed"), accepted=False, error_code="malformed"
                )
            home = self.service.whereabouts.home_of(chosen)
            refused = self._not_here(home, chosen, place, language, private=private)
            return refused or self._on_round(verb, chosen, person, language, key)
        log.info("click without a round action=%s", action)
        reply = self.say(language, "malformed")
        return replace(reply, accepted=False, error_code="malformed")

    def _round_click(
        self,
        place: Place,
        person: Person,
        known: Action,
        value: str,
        fields: Mapping[str, FieldValue],
        round_id: str,
        *,
        key: str | None,
        private: bool,
    ) -> Reply:
        """A button or form of a round. The answer is in the round's team's language
        (from a person's own conversation too), which the command's own transaction
        reads: a click costs no lookup of it."""
        home = self.service.whereabouts.home_of(round_id)
        refused = self._not_here(home, round_id, place, None, private=private)
        if refused is not None:
            return refused
        assert home is not None
        if known == Action.OPEN_FORM:
            language = self.service.team_language(home)
            panel = self.service.panel(round_id, person.user_id, value)
            if panel is None:
                state = self.service.round(round_id)
                if state is not None and state.active and person.user_id not in state.participants:
                    error = DomainError("not_joined")
                    return self._answer(Outcome.refused(round_id, error), language, saved=False)
                return self.say(language, "nothing_to_fill")
            return Reply(form=panel, round_id=round_id, language=language)
        if known in GUARD:
            language = self.service.team_language(home)
            return self._guard_choice(person, known, value, fields, round_id, language, key)
        try:
            command = command_for(known, value, fields, user=person.user_id, name=person.name)
        except MalformedAction as error:
            log.warning("malformed action round=%s: %s", round_id, error)
            reply = self.say(self.service.team_language(home), "malformed")
            return replace(reply, accepted=False, error_code="malformed")
        withdrawn = self._withdrawn_text(round_id, command)
        outcome = self.guard.handle(round_id, command, key=key)
        language = outcome.team_language or self.service.team_language(home)
        if outcome.held is not None:
            return self._held(outcome, person, language)
        reply = self._answer(outcome, language, saved=known in FORMS, round_id=round_id)
        if known in _ANSWERS and reply.accepted:
            # The private question about their case has its answer: it goes away.
            said = self.say(language, _ANSWERS[known]).messages
            return replace(reply, messages=said, settles=True, private=True)
        if not outcome.accepted and known in FORMS and reply.messages:
            # The form again, holding what was typed, under why it was refused.
            panel = self.service.panel(round_id, person.user_id, focus_of(known, value))
            again = refilled(panel, known, value, fields, reply.messages[0].text)
            reply = replace(reply, form=again)
        return self._followed_up(reply, command, outcome, language, withdrawn)

    def _withdrawn_text(self, round_id: str, command: cmd.Command) -> str | None:
        """What a withdrawal takes back, read before it is gone: it goes back to its
        author, so withdrawing loses nothing they might still want."""
        if not isinstance(command, cmd.Withdraw):
            return None
        state = self.service.round(round_id)
        item = state.item(command.item_id) if state is not None else None
        return item.text if item is not None and item.author == command.user else None

    def _followed_up(
        self,
        reply: Reply,
        command: cmd.Command,
        outcome: Outcome,
        language: Language,
        withdrawn: str | None,
    ) -> Reply:
        """A refusal that asks first gets its confirming button; a stored contribution
        its change and withdraw buttons; a withdrawal gives its text back."""
        if not outcome.accepted:
            ask = confirming(command, language)
            if ask is None or outcome.error_code not in _ASKED_FIRST:
                return reply
            first = reply.messages[0]
            return replace(reply, messages=(replace(first, blocks=(*first.blocks, ask)),))
        if isinstance(command, cmd.Withdraw) and withdrawn is not None and not outcome.replayed:
            text = self.t(language, "withdrawn")
            back = Message(
                text=text,
                blocks=(
                    Paragraph(text),
                    ItemList(self.t(language, "withdrawn_text"), (ListItem(withdrawn),)),
                ),
            )
            return replace(reply, messages=(back,))
        if isinstance(command, cmd.Contribute) and outcome.round_id and reply.messages:
            state = self.service.round(outcome.round_id)
            own = state.items_of(state.step.id, command.user) if state and state.step else []
            buttons = own_item_buttons(state, command.user, own[-1]) if state and own else None
            if buttons is not None:
                first = reply.messages[0]
                saved = replace(first, blocks=(*first.blocks, buttons))
                return replace(reply, messages=(saved, *reply.messages[1:]))
        return reply

    def _on_round(
        self, verb: str, round_id: str, person: Person, language: Language, key: str | None
    ) -> Reply:
        """A typed verb (`stop`, `verlaat`, `overnemen`) on the round it means."""
        command = which.command_of(verb, person.user_id)
        outcome = self.service.handle(round_id, command, key=key)
        return self._answer(outcome, language, saved=False, round_id=round_id)

    # -- replies in a round's thread ----------------------------------------------------

    @_storable_input
    def thread_message(
        self,
        place: Place,
        person: Person,
        text: str,
        *,
        round_id: str,
        key: str | None = None,
        shown: bool = True,
        replied_to: str | None = None,
    ) -> Reply | None:
        """A line in the round's thread counts by the rules of the step's form (the
        engine's `Say`): a contribution, an answer to a question, or refused with a
        private word; otherwise it is just conversation (None).
        `shown`: the platform already shows the line to the others (Slack, Teams).
        `replied_to`: the platform's id of the message this line replies to, when the
        platform says (a Teams reply, the web chat's reply button)."""
        home = self.service.whereabouts.home_of(round_id)
        refused = self._not_here(home, round_id, place, None)
        if refused is not None:
            # A line under a round that is gone is just conversation.
            return None if refused.error_code == "no_round" else refused
        state = self.service.round(round_id)
        if state is None or state.step is None or person.user_id not in state.participants:
            return None
        step = state.step
        language = state.language
        if isinstance(step, CollectStep) and person.user_id in state.actors(step):
            if step.anonymous:
                # The thread shows the writer's name: an anonymous contribution needs the form.
                return self.say(language, "use_the_form_anonymous")
            if step.visibility != "open":
                # The thread is public; a hidden contribution belongs in the form.
                return self.say(language, "use_the_form")
        command = self._line(round_id, state, person, text, replied_to)
        try:
            counts = self.service.would_change(round_id, command)
        except DomainError:
            # Refused as the form would refuse it: handled, so the refusal is kept under
            # the delivery's key and a retried delivery is not told twice.
            counts = True
        if not counts:
            return None
        outcome = self.guard.handle(round_id, command, key=key)
        if outcome.held is not None:
            return self._held(outcome, person, language, thread=shown)
        if outcome.accepted:
            return Reply(round_id=round_id, language=language)
        return self._answer(outcome, language, saved=False, round_id=round_id)

    def _line(
        self, round_id: str, state: RoundState, person: Person, text: str, replied_to: str | None
    ) -> cmd.Say:
        """The engine's command for a line. An answer is tied to its question now, so
        one the pupil-name guard holds back stays with that question."""
        reply_to = self.service.question_of_post(round_id, replied_to) if replied_to else None
        if reply_to is None and isinstance(state.step, RespondStep):
            current = state.current_question()
            reply_to = current.id if current is not None else None
        return cmd.Say(user=person.user_id, text=text, reply_to=reply_to)

    # -- the pupil-name guard's question and its answers (bot/chat/guarded.py) -------------

    def _held(
        self, outcome: Outcome, person: Person, language: Language, *, thread: bool = False
    ) -> Reply:
        questions = []
        # A form with several answers may have several held: a question for each.
        for held in (outcome.held, *outcome.also_held):
            one = replace(outcome, held=held, also_held=())
            question = self.guard.question(one, person.user_id, language, thread=thread)
            if question is not None:
                questions.append(question)
        if not questions:
            # Asked again for a contribution whose author has chosen meanwhile.
            return self._answer(
                Outcome.refused(outcome.round_id, DomainError("held_gone")), language, saved=False
            )
        return Reply(
            messages=tuple(questions),
            round_id=outcome.round_id,
            private=True,
            replayed=outcome.replayed,
            language=language,
        )

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
            return replace(reply, accepted=False, error_code="malformed")
        if isinstance(answer, Message):
            return Reply(form=answer, round_id=round_id, language=language)
        if answer.held is not None:
            return self._held(answer, person, language)
        reply = self._answer(answer, language, saved=True, round_id=round_id)
        return replace(reply, settles=reply.accepted and action in GUARD_SETTLES)

    # -- pieces -------------------------------------------------------------------------------

    def _not_here(
        self,
        home: Place | None,
        round_id: str,
        place: Place,
        language: Language | None,
        *,
        private: bool = False,
    ) -> Reply | None:
        """The refusal of a round that does not exist (`home` None) or lives elsewhere;
        None when the round may be acted on from this place (bot.service.whereabouts)."""
        if home is not None and belongs(home, place, private=private):
            return None
        language = language or self.service.team_language(place)
        if home is None:
            # Not logged, nor handed back: an id that names no round may be anything
            # a client sent, and nothing may be recorded under it.
            error = DomainError("no_round")
            return self._answer(Outcome.refused(None, error), language, saved=False)
        # Round ids are random: this is a forged or misrouted payload, not a person's slip.
        log.warning(
            "refused: round %s does not belong to %s %s", round_id, place.platform, place.workspace
        )
        reply = self.say(language, "malformed")
        return replace(reply, accepted=False, error_code=NOT_HERE)

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
                replayed=outcome.replayed,
                language=language,
            )
        messages = self.say(language, "saved").messages if saved else ()
        return Reply(messages=messages, round_id=rid, replayed=outcome.replayed, language=language)

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
            Button(Action.START, p.title.get(language), value=f"{p.id}:{mode}" if mode else p.id)
            for p in self.service.library
            if mode is None or mode in p.modes
        )
        return Message(text=title, blocks=(Paragraph(title), Buttons(buttons)))


def _desk(answer: DeskAnswer, language: Language) -> Reply:
    return Reply(
        messages=answer.messages,
        accepted=answer.accepted,
        error_code=answer.error_code,
        language=language,
    )


def _planned(answer: PlanAnswer, language: Language | None = None) -> Reply:
    return Reply(
        messages=answer.messages,
        form=answer.form,
        accepted=answer.accepted,
        error_code=answer.error_code,
        replayed=answer.replayed,
        language=language,
    )
