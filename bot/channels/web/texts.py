"""The web chat's own texts: the page around the messages, and its error answers."""

from __future__ import annotations

from bot.i18n import Catalog, Language, translate

# Shown by the page; sent to the browser in the team's language.
UI: Catalog = {
    "title": ("dialoog · webchat", "dialoog · web chat"),
    "channel": ("#{channel}", "#{channel}"),
    "notice": (
        "Proefomgeving op deze computer: je kunt als elke collega handelen. Niet voor echte casussen van leerlingen.",
        "A trial on this computer: you can act as any colleague. Not for real cases about pupils.",
    ),
    "you_are": ("Je bent", "You are"),
    "compose_label": ("Bericht of commando", "Message or command"),
    "reply": ("Antwoord hierop", "Answer this one"),
    "replying_to": ("Je antwoordt op:", "You are answering:"),
    "reply_cancel": ("Niet meer", "Cancel"),
    "compose_placeholder": (
        "Typ /dialoog start incident, /dialoog help of een bericht",
        "Type /dialoog start incident, /dialoog help or a message",
    ),
    "compose_hint": (
        "Enter verstuurt, Shift+Enter begint een nieuwe regel.",
        "Enter sends, Shift+Enter starts a new line.",
    ),
    "send": ("Verstuur", "Send"),
    "fill_in": ("Collega's vullen in", "Colleagues fill in"),
    "fill_in_hint": (
        "Laat de andere collega's hun deel van deze stap doen.",
        "Let the other colleagues do their part of this step.",
    ),
    "to_card": ("Naar de ronde", "To the round"),
    "bot": ("dialoog", "dialoog"),
    "only_for_you": ("alleen voor jou", "only for you"),
    "edited": ("bijgewerkt", "updated"),
    "download": ("Download {name}", "Download {name}"),
    "close": ("Sluiten", "Close"),
    "timeline": ("Berichten in #{channel}", "Messages in #{channel}"),
    "empty": (
        "Nog geen berichten. Typ /dialoog help om te zien wat dialoog kan, of /dialoog start incident om een ronde te beginnen.",
        "No messages yet. Type /dialoog help to see what dialoog does, or /dialoog start incident to begin a round.",
    ),
    "reconnecting": ("Verbinding weg; opnieuw verbinden…", "Connection lost; reconnecting…"),
    "failed": ("Dat lukte niet. Probeer het nog eens.", "That did not work. Please try again."),
    "marked": ("gekozen", "chosen"),
    "choose_between": ("Kies er {min} tot {max}.", "Choose {min} to {max}."),
    "choose_at_most": ("Kies er hoogstens {max}.", "Choose at most {max}."),
    "optional": ("(mag leeg blijven)", "(optional)"),
    "by": ("van {name}", "by {name}"),
}

# Error answers of the web chat's endpoints (the "message" beside the code).
ERRORS: Catalog = {
    "bad_json": (
        "Het verzoek is geen geldige JSON. Er is niets veranderd.",
        "The request is not valid JSON. Nothing was changed.",
    ),
    "bad_request": (
        "Het verzoek klopt niet: {problem}. Er is niets veranderd.",
        "The request is not right: {problem}. Nothing was changed.",
    ),
    "too_large": (
        "Het verzoek is te groot (hoogstens {limit} bytes). Er is niets veranderd.",
        "The request is too large (at most {limit} bytes). Nothing was changed.",
    ),
    "unknown_action": (
        "Die knop of dat formulier kent dialoog niet. Er is niets veranderd.",
        "dialoog does not know that button or form. Nothing was changed.",
    ),
    "unknown_colleague": (
        "Die collega bestaat hier niet; kies Ann, Bob, Cas, Dee of Eva.",
        "There is no such colleague here; choose Ann, Bob, Cas, Dee or Eva.",
    ),
    "no_round": (
        "Die ronde bestaat niet (meer) in dit kanaal. Er is niets veranderd.",
        "That round does not exist (any more) in this channel. Nothing was changed.",
    ),
    "no_channel": (
        "Een kanaalnaam bestaat uit kleine letters, cijfers en streepjes.",
        "A channel name consists of lower-case letters, digits and dashes.",
    ),
    "unavailable": (
        "dialoog kan zijn database nu niet bereiken. Probeer het zo nog eens.",
        "dialoog cannot reach its database right now. Please try again shortly.",
    ),
    "internal": (
        "Er ging iets mis bij dialoog. Probeer het nog eens.",
        "Something went wrong in dialoog. Please try again.",
    ),
    "busy": (
        "Er zijn te veel tabbladen open; sluit er een paar en laad de pagina opnieuw.",
        "Too many tabs are open; close a few and reload the page.",
    ),
    "foreign_host": (
        "De webchat werkt alleen op het adres van deze computer zelf: open "
        "http://127.0.0.1:{port}/ (of het adres in DIALOOG_PUBLIC_URL). Er is niets veranderd.",
        "The web chat only works at this computer's own address: open http://127.0.0.1:{port}/ "
        "(or the address in DIALOOG_PUBLIC_URL). Nothing was changed.",
    ),
    "foreign_origin": (
        "Een verzoek van een andere website is geweigerd: alleen de webchat-pagina zelf mag "
        "dit doen. Er is niets veranderd.",
        "A request from another website was refused: only the web chat page itself may do "
        "this. Nothing was changed.",
    ),
    "not_json": (
        "Dit verzoek moet JSON zijn (Content-Type: application/json). Er is niets veranderd.",
        "This request must be JSON (Content-Type: application/json). Nothing was changed.",
    ),
    "not_from_the_page": (
        "Dit verzoek kwam niet van de webchat-pagina (de kopregel X-Dialoog-Web ontbreekt). "
        "Er is niets veranderd.",
        "This request did not come from the web chat page (the X-Dialoog-Web header is "
        "missing). Nothing was changed.",
    ),
}

# The parts of a request that a `bad_request` names, in the user's language.
PROBLEMS: Catalog = {
    "not_an_object": ("het moet een JSON-object zijn", "it must be a JSON object"),
    "missing": ("'{field}' ontbreekt", "'{field}' is missing"),
    "not_text": ("'{field}' moet tekst zijn", "'{field}' must be text"),
    "too_long": ("'{field}' is te lang", "'{field}' is too long"),
    "empty": ("'{field}' is leeg", "'{field}' is empty"),
    "bad_fields": (
        "'fields' moet een object met tekst of lijsten van tekst zijn",
        "'fields' must be an object of text or lists of text",
    ),
    "bad_key": (
        "'key' mag alleen letters, cijfers, '-' en '_' bevatten",
        "'key' may only hold letters, digits, '-' and '_'",
    ),
    "bad_after": ("'after' moet een getal zijn", "'after' must be a number"),
}

# What the chat itself answers in the web chat, privately.
SAYS: Catalog = {
    "not_a_command": (
        "Commando's beginnen met /dialoog, bijvoorbeeld `/dialoog help`.",
        "Commands begin with /dialoog, for example `/dialoog help`.",
    ),
    "filled_in": (
        "Je collega's deden hun deel: {count} bijdrage(n).",
        "Your colleagues did their part: {count} contribution(s).",
    ),
    "joined": (
        "{names} doen mee.",
        "{names} joined.",
    ),
    "nothing_to_fill_in": (
        "Er is nu niets voor je collega's te doen. Ga verder met *Volgende stap*, of doe zelf je deel.",
        "There is nothing for your colleagues to do now. Go on with *Next step*, or do your own part.",
    ),
}


def ui_texts(language: Language) -> dict[str, str]:
    return {key: translate(UI, key, language) for key in UI}


def error_text(language: Language, code: str, **params: object) -> str:
    if code == "bad_request":
        problem = str(params.pop("problem", "not_an_object"))
        field = params.pop("field", "")
        params["problem"] = translate(PROBLEMS, problem, language, field=field)
    return translate(ERRORS, code, language, **params)
