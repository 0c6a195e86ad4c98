"""What the chat layer says itself: help, lists, confirmations."""

from __future__ import annotations

from bot.i18n import Catalog

TEXTS: Catalog = {
    "help": (
        "*dialoog* begeleidt jullie intervisie en collegiale consultatie, stap voor stap.\n"
        "• `{cmd} start incident` start een ronde van de incidentmethode "
        "(`{cmd} start incident async` verspreid over dagen)\n"
        "• `{cmd} start` laat je een methode kiezen\n"
        "• `{cmd} protocollen` toont alle methodes\n"
        "• `{cmd} status` toont de ronde die nu loopt\n"
        "• `{cmd} stop` stopt de ronde (gespreksleider)\n"
        "• `{cmd} plan` plant terugkerende rondes (bijvoorbeeld om de week op dinsdag)\n"
        "• `{cmd} taal en` zet de taal van dit kanaal op Engels\n"
        "• `{cmd} sector po` laat de methodes leerkracht en groep zeggen (of `vo`, `mbo`)",
        "*dialoog* guides your team's peer consultation, step by step.\n"
        "• `{cmd} start incident` starts a round of the incident method "
        "(`{cmd} start incident async` spread over days)\n"
        "• `{cmd} start` lets you choose a method\n"
        "• `{cmd} protocols` lists every method\n"
        "• `{cmd} status` shows the round that is running\n"
        "• `{cmd} stop` ends the round (facilitator)\n"
        "• `{cmd} plan` plans recurring rounds (for example every other Tuesday)\n"
        "• `{cmd} language nl` sets this channel's language to Dutch\n"
        "• `{cmd} sector po` sets the school type (`po`, `vo` or `mbo`) for the methods' words",
    ),
    "unknown": (
        "Ik ken `{typed}` niet.{hint} Probeer `{cmd} start`, `{cmd} protocollen`, "
        "`{cmd} status`, `{cmd} stop` of `{cmd} help`.",
        "I don't know `{typed}`.{hint} Try `{cmd} start`, `{cmd} protocols`, "
        "`{cmd} status`, `{cmd} stop` or `{cmd} help`.",
    ),
    "did_you_mean": (" Bedoel je `{word}`?", " Did you mean `{word}`?"),
    "protocols": ("Deze methodes kun je starten:", "These methods can be started:"),
    "protocol_line": (
        "{minutes} min live · {modes} · `{cmd} start {id}`",
        "{minutes} min live · {modes} · `{cmd} start {id}`",
    ),
    "async_only": ("{days} dagen, verspreid", "{days} days, spread out"),
    "choose": ("Welke methode wil je starten?", "Which method would you like to start?"),
    "no_round": (
        "Er loopt hier geen ronde. Start er een met `{cmd} start`.",
        "No round is running here. Start one with `{cmd} start`.",
    ),
    "language_set": ("Dit kanaal spreekt nu Nederlands.", "This channel now speaks English."),
    "language_unknown": (
        "Kies `nl` (Nederlands) of `en` (Engels), bijvoorbeeld `{cmd} taal en`.",
        "Choose `nl` (Dutch) or `en` (English), for example `{cmd} language nl`.",
    ),
    "language_busy": (
        "De taal kan niet wisselen tijdens een ronde. Probeer het na afloop.",
        "The language cannot change during a round. Try again after it.",
    ),
    "sector_set": (
        "Dit kanaal hoort nu bij {sector}. De methodes spreken van {words}.",
        "This channel now belongs to {sector}. The methods speak of {words}.",
    ),
    "sector_current": (
        "Dit kanaal hoort bij {sector}. Wijzigen kan met `{cmd} sector po`, `vo` of `mbo`.",
        "This channel belongs to {sector}. Change it with `{cmd} sector po`, `vo` or `mbo`.",
    ),
    "sector_none": (
        "Nog niet gekozen: de methodes zeggen nu leraar en klas. Kies met `{cmd} sector po` "
        "(leerkracht, groep 6), `{cmd} sector vo` (docent, klas 2) of `{cmd} sector mbo` "
        "(docent, studenten).",
        "Not chosen yet: the methods now say teacher and class. Choose with `{cmd} sector po` "
        "(primary), `{cmd} sector vo` (secondary) or `{cmd} sector mbo` (vocational).",
    ),
    "sector_unknown": (
        "Ik ken de sector `{typed}` niet. Kies `{cmd} sector po` (primair onderwijs), "
        "`{cmd} sector vo` (voortgezet onderwijs) of `{cmd} sector mbo`.",
        "I don't know the sector `{typed}`. Choose `{cmd} sector po` (primary education), "
        "`{cmd} sector vo` (secondary education) or `{cmd} sector mbo` (vocational education).",
    ),
    "sector_busy": (
        "De sector kan niet wisselen tijdens een ronde. Probeer het na afloop.",
        "The sector cannot change during a round. Try again after it.",
    ),
    "sector.po": ("het primair onderwijs (po)", "primary education (po)"),
    "sector.vo": ("het voortgezet onderwijs (vo)", "secondary education (vo)"),
    "sector.mbo": ("het mbo", "vocational education (mbo)"),
    "undelivered": (
        "Let op: {count} bericht(en) van deze ronde konden niet (zeker) worden bezorgd. "
        "Alles staat wel vast in de ronde; `{cmd} status` toont de stand.",
        "Note: {count} message(s) of this round could not (surely) be delivered. "
        "Everything is kept in the round; `{cmd} status` shows where it stands.",
    ),
    "saved": ("Opgeslagen.", "Saved."),
    "saved_hidden": (
        "Opgeslagen. Anderen zien het aan het eind van deze stap.",
        "Saved. Others will see it at the end of this step.",
    ),
    "use_the_form": (
        "In deze stap blijven bijdragen verborgen tot het eind; schrijf de jouwe via *Schrijf* "
        "op de kaart, niet in de draad.",
        "In this step contributions stay hidden until the end; write yours with *Write* on "
        "the card, not in the thread.",
    ),
    "malformed": (
        "Die knop of dat formulier begrijp ik niet (meer). Gebruik de kaart van de ronde.",
        "I don't understand that button or form (any more). Use the round's card.",
    ),
    "stale_card": (
        "Deze kaart hoort bij een ronde die voorbij is.",
        "This card belongs to a round that is over.",
    ),
    "nothing_to_fill": (
        "Er is nu niets voor jou om in te vullen.",
        "There is nothing for you to fill in right now.",
    ),
}
