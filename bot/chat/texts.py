"""What the chat layer says itself: help, lists, confirmations."""

from __future__ import annotations

from bot.i18n import Catalog

TEXTS: Catalog = {
    "cleaned": (
        "Let op: je tekst bevatte tekens die niet bewaard kunnen worden (een nulteken of "
        "een half teken); die zijn weggelaten.",
        "Note: your text held characters that cannot be stored (a NUL or half a "
        "character); they were left out.",
    ),
    "help": (
        "*dialoog* begeleidt jullie intervisie en collegiale consultatie, stap voor stap.\n"
        "• `{cmd} start incident` start een ronde van de incidentmethode "
        "(`{cmd} start incident async` verspreid over dagen)\n"
        "• `{cmd} start` laat je een methode kiezen\n"
        "• `{cmd} protocollen` toont alle methodes\n"
        "• `{cmd} status` toont de rondes die nu lopen\n"
        "• `{cmd} stop` stopt de ronde (gespreksleider)\n"
        "• `{cmd} verlaat` laat je uit een ronde stappen; de ronde gaat door zonder jou\n"
        "• `{cmd} overnemen` neemt het leiden van de ronde over als de gespreksleider dat "
        "niet meer kan (bijvoorbeeld omdat die de inbrenger werd)\n"
        "• `{cmd} plan` plant terugkerende rondes (bijvoorbeeld om de week op dinsdag)\n"
        "• `{cmd} regio zuid` laat de planning de schoolvakanties van je regio volgen; "
        "`{cmd} studiedag 15-03-2027` voegt een studiedag toe\n"
        "• `{cmd} taal en` zet de taal van dit kanaal op Engels\n"
        "• `{cmd} bewaren` toont hoe lang dialoog de inhoud van rondes bewaart\n"
        "• `{cmd} mijn gegevens` stuurt je privé alles wat dialoog over je bewaart\n"
        "• `{cmd} overzicht` toont wat jullie rondes dit schooljaar opleverden (`{cmd} overzicht link` geeft een pagina)\n"
        "• `{cmd} mijn dossier` stuurt je een overzicht van jouw rondes, voor je bekwaamheidsdossier\n"
        "• `{cmd} naam uit` houdt je naam uit het overzicht (je telt wel mee)\n"
        "• `{cmd} sector po` laat de methodes leerkracht en groep zeggen (of `vo`, `mbo`)",
        "*dialoog* guides your team's peer consultation, step by step.\n"
        "• `{cmd} start incident` starts a round of the incident method "
        "(`{cmd} start incident async` spread over days)\n"
        "• `{cmd} start` lets you choose a method\n"
        "• `{cmd} protocols` lists every method\n"
        "• `{cmd} status` shows the rounds that are running\n"
        "• `{cmd} stop` ends the round (facilitator)\n"
        "• `{cmd} leave` takes you out of a round; it goes on without you\n"
        "• `{cmd} takeover` takes over leading the round when its facilitator cannot "
        "(for example because they became the case owner)\n"
        "• `{cmd} plan` plans recurring rounds (for example every other Tuesday)\n"
        "• `{cmd} region south` makes the planning follow your region's school holidays; "
        "`{cmd} studyday 2027-03-15` adds a study day\n"
        "• `{cmd} language nl` sets this channel's language to Dutch\n"
        "• `{cmd} retention` shows how long dialoog keeps the content of rounds\n"
        "• `{cmd} my data` sends you, privately, everything dialoog keeps about you\n"
        "• `{cmd} overview` shows what your rounds added up to this school year (`{cmd} overview link` gives a page)\n"
        "• `{cmd} my record` sends you a record of your rounds, for your professional development\n"
        "• `{cmd} name off` keeps your name out of the overview (you still count)\n"
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
    "language_rounds_keep": (
        "Rondes die al lopen, houden hun eigen taal; nieuwe rondes spreken de nieuwe.",
        "Rounds that are running keep their own language; new rounds speak the new one.",
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
    "sector_rounds_keep": (
        "Rondes die al lopen, houden hun woorden; nieuwe rondes gebruiken deze.",
        "Rounds that are running keep their words; new rounds use these.",
    ),
    "which_round": (
        "Hier lopen meer rondes. Welke bedoel je?",
        "More than one round is running here. Which one do you mean?",
    ),
    "which_round.live": ("{title} (live)", "{title} (live)"),
    "which_round.async": (
        "{title} (verspreid over dagen, sinds {since})",
        "{title} (spread over days, since {since})",
    ),
    "not_in_a_round": (
        "Je doet hier aan geen ronde mee.",
        "You are not taking part in a round here.",
    ),
    "nobody_to_take_over": (
        "Geen ronde hier zoekt nu iemand die het gesprek overneemt.",
        "No round here is looking for someone to take over leading it.",
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
    "export_sent": (
        "Ik stuur je in een privébericht alles wat dialoog over je bewaart. Wil je het "
        "als bestand, of wil je dat het gewist wordt? Vraag het de beheerder van je school.",
        "I'm sending you, in a private message, everything dialoog keeps about you. Would "
        "you like it as a file, or erased? Ask your school's administrator.",
    ),
    "export_nothing": (
        "dialoog bewaart hier niets over je.",
        "dialoog keeps nothing about you here.",
    ),
    "saved_hidden": (
        "Opgeslagen. Anderen zien het aan het eind van deze stap.",
        "Saved. Others will see it at the end of this step.",
    ),
    "use_the_form_anonymous": (
        "Deze stap is anoniem, maar in de draad staat je naam bij je bericht. Het is niet "
        "opgeslagen als bijdrage: schrijf die via *Schrijf* op de kaart, dan ziet niemand "
        "dat die van jou is.",
        "This step is anonymous, but the thread shows your name with your message. It was not "
        "saved as a contribution: write it with *Write* on the card, so nobody sees it is yours.",
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
    "retention_show": (
        "Dit kanaal bewaart de inhoud van een ronde *{days} dagen* nadat hij is afgelopen "
        "({source}); daarna blijven alleen aantallen, datums, rollen en de methode over. "
        "Open actiepunten blijven tot ze af zijn. {take_back}\n"
        "Wijzigen (gespreksleider): `{cmd} bewaren 30` (tussen {min} en {max} dagen) of "
        "`{cmd} bewaren standaard`.",
        "This channel keeps the content of a round for *{days} days* after it ended "
        "({source}); after that only counts, dates, roles and the method remain. "
        "Open action points stay until they are done. {take_back}\n"
        "To change it (facilitator): `{cmd} retention 30` (between {min} and {max} days) or "
        "`{cmd} retention default`.",
    ),
    "retention_source_default": ("de standaard van de school", "the school's default"),
    "retention_source_own": ("door jullie gekozen", "your team's choice"),
    "take_back_is_on": (
        "Dan haalt de bot ook zijn berichten over die ronde weg (`{cmd} terugnemen uit` "
        "laat ze staan).",
        "The bot then also deletes its messages about that round (`{cmd} take-back off` "
        "leaves them).",
    ),
    "take_back_is_off": (
        "De bot laat zijn berichten over die ronde staan (`{cmd} terugnemen aan` haalt ze weg).",
        "The bot leaves its messages about that round (`{cmd} take-back on` deletes them).",
    ),
    "retention_set": (
        "Dit kanaal bewaart de inhoud van rondes nu {days} dagen na afloop.",
        "This channel now keeps the content of rounds for {days} days after they end.",
    ),
    "retention_default": (
        "Dit kanaal volgt nu de standaard van de school: {days} dagen na afloop.",
        "This channel now follows the school's default: {days} days after a round ends.",
    ),
    "retention_bounds": (
        "Kies een aantal dagen tussen {min} en {max}, bijvoorbeeld `{cmd} bewaren 30`, of "
        "`{cmd} bewaren standaard` voor de standaard van de school.",
        "Choose a number of days between {min} and {max}, for example `{cmd} retention 30`, "
        "or `{cmd} retention default` for the school's default.",
    ),
    "privacy_not_allowed": (
        "Dit kan alleen wie in dit kanaal een ronde startte of gespreksleider was. "
        "Vraag het die collega.",
        "Only someone who started a round in this channel or was its facilitator can "
        "change this. Ask that colleague.",
    ),
    "take_back_set_on": (
        "Als de inhoud van een ronde wordt opgeschoond, haalt de bot ook zijn berichten over "
        "die ronde weg.",
        "When a round's content is purged, the bot also deletes its messages about that round.",
    ),
    "take_back_set_off": (
        "De bot laat zijn berichten over een ronde staan als de inhoud wordt opgeschoond. "
        "Terugzetten: `{cmd} terugnemen aan`.",
        "The bot leaves its messages about a round when the content is purged. "
        "To undo: `{cmd} take-back on`.",
    ),
    "take_back_unknown": (
        "Kies `aan` of `uit`, bijvoorbeeld `{cmd} terugnemen uit`.",
        "Choose `on` or `off`, for example `{cmd} take-back off`.",
    ),
}
