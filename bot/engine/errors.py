"""Domain errors: a refused command, told to the user in their language."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from bot.errors import DialoogError
from bot.i18n import Catalog, Language, translate

# A parameter that is itself a text in two languages (a role or step name).
Param = str | int | Callable[[Language], str]

# Each message says what is wrong and what would work instead.
MESSAGES: Catalog = {
    "no_round": (
        "Er loopt hier geen ronde. Start er een met `/dialoog start`.",
        "No round is running here. Start one with `/dialoog start`.",
    ),
    "round_running": (
        "Hier loopt al een live ronde ({title}); twee live rondes tegelijk gaat niet. Maak die "
        "eerst af, stop hem met `/dialoog stop`, of start deze ronde verspreid over dagen "
        "(`async`).",
        "A live round is already running here ({title}); two live rounds at once cannot be. "
        "Finish it first, end it with `/dialoog stop`, or start this one spread over days "
        "(`async`).",
    ),
    "too_many_rounds": (
        "Hier lopen al {count} rondes tegelijk. Rond er eerst een af of stop er een met "
        "`/dialoog stop`.",
        "{count} rounds are already running here. Finish one first, or end one with "
        "`/dialoog stop`.",
    ),
    "unknown_protocol": (
        "Ik ken geen protocol '{name}'. Kies uit: {ids}.",
        "I know no protocol '{name}'. Choose from: {ids}.",
    ),
    "mode_not_offered": (
        "Dit protocol kan niet {mode}. Start het zonder die keuze.",
        "This protocol cannot run {mode}. Start it without that option.",
    ),
    "round_over": (
        "Deze ronde is al afgelopen. Start een nieuwe met `/dialoog start`.",
        "This round has ended. Start a new one with `/dialoog start`.",
    ),
    "round_paused": (
        "De ronde staat op pauze. De gespreksleider kan hem hervatten.",
        "The round is paused. The facilitator can resume it.",
    ),
    "already_started": (
        "Deze ronde is al gestart.",
        "This round has already started.",
    ),
    "not_joined": (
        "Je doet nog niet mee aan deze ronde. Klik eerst op *Meedoen*.",
        "You have not joined this round yet. Click *Join* first.",
    ),
    "held_gone": (
        "Die bijdrage is al geplaatst of aangepast; er is niets meer te kiezen.",
        "That contribution has already been posted or changed; there is nothing left to choose.",
    ),
    "already_joined": (
        "Je doet al mee aan deze ronde.",
        "You have already joined this round.",
    ),
    "only_facilitator": (
        "Alleen de gespreksleider ({facilitator}) kan dit doen.",
        "Only the facilitator ({facilitator}) can do this.",
    ),
    "unknown_role": (
        "Deze ronde kent de rol '{role}' niet. Rollen: {roles}.",
        "This round has no role '{role}'. Roles: {roles}.",
    ),
    "role_not_volunteer": (
        "Voor de rol {role} kun je je niet zelf aanmelden; {how}.",
        "You cannot volunteer for the role {role}; {how}.",
    ),
    "role_taken": (
        "{holder} is al {role}.",
        "{holder} is already {role}.",
    ),
    "already_holds_role": (
        "Je bent al {role}.",
        "You are already {role}.",
    ),
    "not_a_participant": (
        "{user} doet niet mee aan deze ronde; iemand moet eerst meedoen voor die een rol krijgt.",
        "{user} has not joined this round; someone joins before they get a role.",
    ),
    "role_missing": (
        "Nog niemand is {role}. {how}",
        "Nobody is {role} yet. {how}",
    ),
    "not_started": (
        "De ronde is nog niet begonnen. De gespreksleider start de eerste stap met *Start de eerste stap*.",
        "The round has not begun. The facilitator starts the first step with *Start the first step*.",
    ),
    "wrong_step": (
        "Nu is het de stap '{step}'. {hint}",
        "This is the step '{step}'. {hint}",
    ),
    "stale_step": (
        "Die stap is al voorbij; nu is het '{step}'. Er is niets opgeslagen.",
        "That step is over; this is '{step}' now. Nothing was saved.",
    ),
    "not_your_part": (
        "In deze stap zijn de {roles} aan de beurt. {hint}",
        "In this step it is up to the {roles}. {hint}",
    ),
    "not_your_turn": (
        "{name} heeft nu het woord. Je bent zo aan de beurt.",
        "{name} has the floor now. Your turn comes.",
    ),
    "limit_reached": (
        "Je hebt in deze stap al {count} bijdrage(n) gegeven; meer kan niet.",
        "You have already given {count} contribution(s) in this step; that is the maximum.",
    ),
    "live_cap_reached": (
        "Live stelt ieder in deze stap maximaal {count} vragen, zodat de inbrenger ze allemaal "
        "kan beantwoorden. Bewaar je volgende vraag voor de tweede vragenronde of het gesprek.",
        "In a live round everyone asks at most {count} questions in this step, so the case owner "
        "can answer them all. Keep your next question for the second round or the discussion.",
    ),
    "empty_text": (
        "Je bericht is leeg. Schrijf iets en probeer het nog eens.",
        "Your message is empty. Write something and try again.",
    ),
    "text_too_long": (
        "Je tekst is te lang ({length} tekens). Houd het onder de {limit} tekens.",
        "Your text is too long ({length} characters). Keep it under {limit}.",
    ),
    "not_a_question": (
        "Nu is de vragenronde: stel alleen vragen (eindig met een vraagteken). "
        "Advies en meningen komen later.",
        "This is the question round: ask questions only (end with a question mark). "
        "Advice and opinions come later.",
    ),
    "advice_as_question": (
        "Dat klinkt als een advies in vraagvorm. Vraag naar wat er gebeurde en wat de "
        "inbrenger dacht of voelde; je advies heeft later in de ronde zijn plek.",
        "That sounds like advice phrased as a question. Ask what happened and what the case "
        "owner thought or felt; your advice has its place later in the round.",
    ),
    "listening_only": (
        "Tijdens '{step}' lees jij alleen mee; wat je nu schrijft, telt niet mee in de ronde. "
        "Straks is het jouw beurt om te reageren.",
        "During '{step}' you only read along; what you write now does not count in the round. "
        "Your turn to react comes later.",
    ),
    "answer_needs_label": (
        "Bij deze vragen hoort bij elk antwoord een keuze (zoals warm of koud). "
        "Beantwoord ze met *Beantwoord* op de kaart.",
        "Each answer here comes with a choice (such as warm or cold). "
        "Answer them with *Answer* on the card.",
    ),
    "already_answered": (
        "Die vraag is al beantwoord; teruggeven kan alleen zolang hij open staat.",
        "That question has been answered; it can only be returned while it is open.",
    ),
    "case_owner_leads": (
        "De inbrenger kan niet ook het gesprek leiden. Kies iemand anders als gespreksleider.",
        "The case owner cannot also lead the conversation. Choose someone else as facilitator.",
    ),
    "leader_present": (
        "{facilitator} leidt het gesprek. Vraag {facilitator} om het aan je over te dragen.",
        "{facilitator} is leading the conversation. Ask {facilitator} to hand it over to you.",
    ),
    "nobody_leads": (
        "Niemand leidt deze ronde nu. Neem het gesprek over met *Neem het gesprek over*, "
        "dan kun je dit doen.",
        "Nobody is leading this round now. Take over with *Take over leading*, then you can "
        "do this.",
    ),
    "unknown_item": (
        "Dat onderdeel hoort niet bij deze stap.",
        "That item does not belong to this step.",
    ),
    "too_many_choices": (
        "Je kunt er hier hoogstens {limit} kiezen.",
        "You can choose at most {limit} here.",
    ),
    "too_few_choices": (
        "Kies er minstens {limit}.",
        "Choose at least {limit}.",
    ),
    "unknown_label": (
        "Kies een van deze labels: {labels}.",
        "Choose one of these labels: {labels}.",
    ),
    "unknown_action": (
        "Dat actiepunt bestaat niet (meer).",
        "That action point does not exist (any more).",
    ),
    "not_action_owner": (
        "Alleen {owner} of de gespreksleider kan over dit actiepunt vertellen.",
        "Only {owner} or the facilitator can report on this action point.",
    ),
    "due_in_past": (
        "De datum {due} ligt in het verleden. Kies een datum vanaf vandaag.",
        "The date {due} is in the past. Choose a date from today on.",
    ),
    "rephrase_needs_text": (
        "Schrijf hoe je de actie nu wilt formuleren, of kies laten vallen of zo laten.",
        "Write how you want to phrase the action now, or choose drop or keep.",
    ),
    "rating_range": (
        "Geef een cijfer van 1 tot en met {scale}.",
        "Give a rating from 1 to {scale}.",
    ),
    "already_paused": (
        "De ronde staat al op pauze.",
        "The round is already paused.",
    ),
    "not_paused": (
        "De ronde staat niet op pauze.",
        "The round is not paused.",
    ),
    "no_turns": (
        "In deze stap is er geen beurt door te geven.",
        "There is no turn to pass in this step.",
    ),
    "nothing_to_vote": (
        "Er is niets om op te stemmen. Ga terug naar de vorige stap of wijs de rol zelf toe.",
        "There is nothing to vote on. The facilitator can assign the role directly.",
    ),
}


class DomainError(DialoogError):
    """A request the bot refuses; nothing changes. The domain family's root.

    `code` names the message in `catalog` (under `prefix`); a subclass with a
    catalog of its own (the scheduler's `PlanProblem`) is a refusal like any other.
    """

    catalog: ClassVar[Catalog] = MESSAGES
    prefix: ClassVar[str] = ""

    def __init__(self, code: str, **params: Param) -> None:
        if self.prefix + code not in self.catalog:
            raise KeyError(f"no message for {type(self).__name__} {code!r}")
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, language: Language, **context: object) -> str:
        """The refusal in `language`; `context` fills what the raiser could not know."""
        resolved = {k: v(language) if callable(v) else v for k, v in self.params.items()}
        return translate(self.catalog, self.prefix + self.code, language, **context, **resolved)

    def __repr__(self) -> str:
        # Params may hold names but never contributions; safe for logs.
        return f"{type(self).__name__}({self.code!r})"
