"""What the insights, the page and the dossier say, in Dutch and English."""

from __future__ import annotations

from bot.i18n import Catalog, Language, translate
from bot.words import short_month

TEXTS: Catalog = {
    "title": ("Overzicht {team} · schooljaar {year}", "Overview {team} · school year {year}"),
    "title_school": (
        "Overzicht van de school · schooljaar {year}",
        "School overview · school year {year}",
    ),
    "period": ("Van {start} tot en met {end}.", "From {start} up to and including {end}."),
    "held": ("Rondes gehouden: {count}", "Rounds held: {count}"),
    "panel.months": ("Rondes per maand", "Rounds per month"),
    "panel.methods": ("Rondes per methode", "Rounds per method"),
    "panel.outcomes": ("Actiepunten en hoe ze afliepen", "Action points and how they ended"),
    "panel.sources": ("Leerbronnen in de reflecties", "Sources of learning in reflections"),
    "panel.teams": ("Rondes per team", "Rounds per team"),
    "people": ("Wie deed mee (aantal rondes)", "Who took part (number of rounds)"),
    "people_count": ("Collega's die meededen: {count}", "Colleagues who took part: {count}"),
    "unnamed": (
        "{people:collega|collega's} liever niet bij naam: samen {rounds} keer",
        "{people:colleague|colleagues} who prefer not to be named: {rounds:time|times} together",
    ),
    "times": ("{count} keer", "{count:time|times}"),
    "actions": ("Actiepunten afgesproken: {count}", "Action points agreed: {count}"),
    "outcome.done": ("gedaan", "done"),
    "outcome.partly": ("deels", "partly"),
    "outcome.not_yet": ("nog niet", "not yet"),
    "outcome.dropped": ("geschrapt", "dropped"),
    "outcome.open": ("nog open", "still open"),
    "followup": (
        "Van casus tot opvolging: mediaan {days:dag|dagen} ({count:actiepunt|actiepunten} met een terugkoppeling).",
        "From case to follow-up: median {days:day|days} ({count:action point|action points} reported on).",
    ),
    "followup_none": (
        "Van casus tot opvolging: nog geen actiepunt teruggekoppeld.",
        "From case to follow-up: no action point reported on yet.",
    ),
    "source.practice": ("eigen praktijk", "own practice"),
    "source.colleagues": ("collega's", "colleagues"),
    "source.theory": ("theorie", "theory"),
    "empty": ("nog niets", "nothing yet"),
    "alt": (
        "Grafiek in vier delen: {panels}. Alle getallen staan ook in de tekst bij de grafiek.",
        "Chart in four parts: {panels}. Every number is also in the text beside the chart.",
    ),
    # The chat commands.
    "posted": ("Het overzicht staat zo in het kanaal.", "The overview will appear in the channel."),
    "period_unknown": (
        "Dat schooljaar ken ik niet. Schrijf het als `{cmd} overzicht 2025-2026`, of laat het weg voor dit schooljaar.",
        "I don't know that school year. Write it as `{cmd} overview 2025-2026`, or leave it out for this school year.",
    ),
    "not_facilitator": (
        "Alleen wie in dit kanaal een ronde leidde of startte, kan de link van het overzicht vragen of intrekken.",
        "Only someone who led or started a round in this channel can ask for or revoke the overview's link.",
    ),
    "link": (
        "De pagina met het overzicht van dit team (alleen getallen, nooit wat iemand schreef):\n{url}\nDeel hem met wie hem mag zien, bijvoorbeeld de coördinator. `{cmd} overzicht link intrekken` maakt hem onbruikbaar.",
        "The page with this team's overview (numbers only, never what anyone wrote):\n{url}\nShare it with whoever may see it, for example the coordinator. `{cmd} overview link revoke` makes it stop working.",
    ),
    "revoked": (
        "De link van het overzicht werkt niet meer. Vraag een nieuwe met `{cmd} overzicht link`.",
        "The overview's link no longer works. Ask for a new one with `{cmd} overview link`.",
    ),
    "nothing_to_revoke": ("Er was geen link om in te trekken.", "There was no link to revoke."),
    "school_link": (
        "De pagina met het overzicht van de hele school (alleen aantallen per team):\n{url}\n`{cmd} overzicht school intrekken` maakt hem onbruikbaar.",
        "The page with the whole school's overview (counts per team only):\n{url}\n`{cmd} overview school revoke` makes it stop working.",
    ),
    "not_coordinator": (
        "Het schooloverzicht is voor wie de school daarvoor aanwees (de instelling DIALOOG_SCHOOL_COORDINATORS).",
        "The school overview is for whoever the school named for it (the setting DIALOOG_SCHOOL_COORDINATORS).",
    ),
    "naming_off": (
        "Je naam staat niet meer in het overzicht van dit kanaal; je telt wel mee. `{cmd} naam aan` zet hem terug.",
        "Your name no longer shows in this channel's overview; you still count. `{cmd} name on` puts it back.",
    ),
    "naming_on": (
        "Je naam staat weer in het overzicht van dit kanaal. `{cmd} naam uit` haalt hem weg.",
        "Your name shows in this channel's overview again. `{cmd} name off` takes it out.",
    ),
    "naming_how": (
        "Het overzicht noemt wie meedeed bij naam, met het aantal rondes. Liever niet? `{cmd} naam uit`. Weer wel: `{cmd} naam aan`.",
        "The overview names who took part, with the number of rounds. Rather not? `{cmd} name off`. Back on: `{cmd} name on`.",
    ),
    # The dossier.
    "dossier.title": ("Mijn rondes: {name}", "My rounds: {name}"),
    "dossier.intro": (
        "Gemaakt op {date} door dialoog, voor je bekwaamheidsdossier. {count:ronde|rondes}. Hierin staat alleen wat van jou is: je rollen, je eigen reflecties en actiepunten, en je casus als je inbrenger was.",
        "Made on {date} by dialoog, for your professional-development record. {count:round|rounds}. It holds only what is yours: your roles, your own reflections and action points, and your case when you were its case owner.",
    ),
    "dossier.none": ("Je hebt nog geen afgeronde rondes.", "You have no finished rounds yet."),
    "dossier.roles": ("Rol", "Role"),
    "dossier.taking_part": ("deelnemer", "participant"),
    "dossier.case": ("Mijn casus", "My case"),
    "dossier.reflection": ("Mijn reflectie", "My reflection"),
    "dossier.rating": (
        "Cijfer voor de ronde: {rating} van {scale}",
        "Rating of the round: {rating} of {scale}",
    ),
    "dossier.sources": ("Geleerd van: {sources}", "Learned from: {sources}"),
    "dossier.actions": ("Mijn actiepunten", "My action points"),
    "dossier.sent": (
        "Je dossier staat in je privéberichten (als Markdown-bestand en als tekst).",
        "Your record is in your direct messages (as a Markdown file and as text).",
    ),
    "dossier.file": ("mijn-rondes.md", "my-rounds.md"),
    # The web page.
    "page.heading_numbers": ("De getallen", "The numbers"),
    "page.note": (
        "Alleen getallen: wat iemand in een ronde schreef, staat hier nooit.",
        "Numbers only: what anyone wrote in a round never shows here.",
    ),
    "page.team": ("Team", "Team"),
    "page.rounds": ("Rondes", "Rounds"),
    "page.people": ("Deelnemers", "Participants"),
    "page.actions": ("Actiepunten", "Action points"),
    "page.count": ("Aantal", "Count"),
    "page.month": ("Maand", "Month"),
    "page.method": ("Methode", "Method"),
    "page.outcome": ("Afloop", "Outcome"),
    "page.source": ("Leerbron", "Source"),
    "page.person": ("Collega", "Colleague"),
    "page.unnamed": ("{people} liever niet bij naam", "{people} rather not named"),
}


def t(language: Language, key: str, **params: object) -> str:
    return translate(TEXTS, key, language, **params)


def month_name(language: Language, month: str) -> str:
    """ "2026-09" as "sep 2026"."""
    year, number = month.split("-")
    return short_month(language, int(year), int(number))
