"""What the Teams channel says itself, in Dutch and English."""

from __future__ import annotations

from bot.i18n import Catalog

TEXTS: Catalog = {
    "part_first": (
        "(deel 1 van {total}; het vervolg staat in de berichten hieronder)",
        "(part 1 of {total}; continued in the messages below)",
    ),
    "part_next": ("(vervolg, deel {n} van {total})", "(continued, part {n} of {total})"),
    "file_as_text": (
        "({name}: Teams toont dit bestand hier niet; de inhoud staat als tekst in dit bericht.)",
        "({name}: Teams does not show this file here; its content is in this message as text.)",
    ),
    "required_text": ("Vul dit in.", "Please fill this in."),
    "required_choice": ("Maak een keuze.", "Please make a choice."),
    "personal_unreachable": (
        "{name}: ik kan je geen privébericht sturen, dus iets voor jou alleen kwam niet aan. "
        "Open een chat met dialoog (via Apps of Chat) en stuur *help*; daarna kan ik je "
        "bereiken. Vraag de gespreksleider zo nodig om wat je miste.",
        "{name}: I cannot send you a private message, so something meant for you alone did "
        "not arrive. Open a chat with dialoog (under Apps or Chat) and send *help*; then I "
        "can reach you. Ask the facilitator for what you missed if you need it.",
    ),
    "form_failed": (
        "{name}: ik kon je formulier nu niet sturen; Teams gaf geen gehoor. Probeer het zo nog "
        "eens. Er is niets verloren gegaan.",
        "{name}: I could not send you your form just now; Teams did not answer. Please try "
        "again in a moment. Nothing was lost.",
    ),
    "someone": ("Collega", "Colleague"),
    "welcome": (
        "Hallo, ik ben *dialoog*. Ik begeleid jullie intervisie en collegiale consultatie, "
        "stap voor stap. Typ `@dialoog help` voor wat ik kan, of `@dialoog start` om een "
        "methode te kiezen.",
        "Hello, I am *dialoog*. I guide your team's peer consultation, step by step. Type "
        "`@dialoog help` to see what I can do, or `@dialoog start` to choose a method.",
    ),
    "received": ("Ontvangen.", "Received."),
}
