"""What planning and the scheduler say, in Dutch and English."""

from __future__ import annotations

from bot.i18n import Catalog, Language, translate

TEXTS: Catalog = {
    # -- the overview --------------------------------------------------------------
    "plan.title": ("Geplande rondes", "Planned rounds"),
    "plan.none": (
        "Er zijn hier nog geen rondes gepland. Plan er een met *Ronde plannen*.",
        "No rounds are planned here yet. Plan one with *Plan a round*.",
    ),
    "plan.next": ("volgende: {when}", "next: {when}"),
    "plan.paused": ("gepauzeerd", "paused"),
    "plan.skipped": ("geen ronde op {day} ({reason})", "no round on {day} ({reason})"),
    "plan.moved": ("{day} gaat naar {when} ({reason})", "{day} moves to {when} ({reason})"),
    "plan.region": (
        "De schoolvakanties van regio {region} en jullie eigen studiedagen tellen mee (`{cmd} regio`).",
        "The school holidays of region {region} and your own study days count (`{cmd} region`).",
    ),
    "plan.no_region": (
        "Schoolvakanties tellen nog niet mee. Kies je regio met `{cmd} regio noord`, `midden` of `zuid`.",
        "School holidays don't count yet. Choose your region with `{cmd} region north`, `middle` or `south`.",
    ),
    "plan.extras": ("{extras}", "{extras}"),
    "plan.lead": ("casussen {days:dag|dagen} vooraf", "cases {days:day|days} ahead"),
    "plan.reminders": ("herinnering {list} vooraf", "reminder {list} before"),
    "plan.feed": (
        "Zet de geplande rondes in je eigen agenda met deze link (abonneren op een agenda): {url}",
        "Put the planned rounds in your own calendar with this link (subscribe to a calendar): {url}",
    ),
    "button.new": ("Ronde plannen", "Plan a round"),
    "button.pause": ("Pauzeer #{id}", "Pause #{id}"),
    "button.resume": ("Hervat #{id}", "Resume #{id}"),
    "button.delete": ("Verwijder #{id}", "Delete #{id}"),
    "button.feed": ("Nieuwe agendalink", "New calendar link"),
    # -- the form ------------------------------------------------------------------
    "form.title": ("Ronde plannen", "Plan a round"),
    "form.submit": ("Plannen", "Plan"),
    "form.protocol": ("Methode", "Method"),
    "form.mode": ("Vorm", "Format"),
    "form.weekdays": ("Op welke dagen", "On which days"),
    "form.time": ("Tijd (UU:MM, {zone})", "Time (HH:MM, {zone})"),
    "form.interval": ("Hoe vaak", "How often"),
    "form.first": ("Vanaf (datum)", "From (date)"),
    "form.lead": ("Casussen vooraf ophalen", "Ask for cases ahead"),
    "form.reminders": ("Herinneringen", "Reminders"),
    "mode.live": ("Live (samen, op dat moment)", "Live (together, at that time)"),
    "mode.async": ("Verspreid (asynchroon, over dagen)", "Spread out (asynchronous, over days)"),
    "interval.weekly": ("Elke week", "Every week"),
    "interval.biweekly": ("Om de week", "Every other week"),
    "interval.monthly.1": ("Maandelijks, de eerste", "Monthly, the first"),
    "interval.monthly.2": ("Maandelijks, de tweede", "Monthly, the second"),
    "interval.monthly.3": ("Maandelijks, de derde", "Monthly, the third"),
    "interval.monthly.4": ("Maandelijks, de vierde", "Monthly, the fourth"),
    "interval.monthly.-1": ("Maandelijks, de laatste", "Monthly, the last"),
    "lead.0": ("Nee", "No"),
    "lead.1": ("1 dag vooraf", "1 day ahead"),
    "lead.n": ("{n} dagen vooraf", "{n} days ahead"),
    "reminder.1440": ("een dag vooraf", "a day before"),
    "reminder.60": ("een uur vooraf", "an hour before"),
    "reminder.15": ("15 minuten vooraf", "15 minutes before"),
    "reminder.short.1440": ("1 dag", "1 day"),
    "reminder.short.60": ("1 uur", "1 hour"),
    "reminder.short.15": ("15 min", "15 min"),
    # -- describing a schedule -----------------------------------------------------
    "every.weekly": ("elke {days} om {time}", "every {days} at {time}"),
    "every.biweekly": ("om de week op {days} om {time}", "every other {days} at {time}"),
    "every.monthly": (
        "elke {nth} {days} van de maand om {time}",
        "the {nth} {days} of every month at {time}",
    ),
    "nth.1": ("eerste", "first"),
    "nth.2": ("tweede", "second"),
    "nth.3": ("derde", "third"),
    "nth.4": ("vierde", "fourth"),
    "nth.-1": ("laatste", "last"),
    "study_day": ("studiedag", "study day"),
    "holidays.skip": ("Geen ronde (overslaan)", "No round (skip it)"),
    "holidays.move": ("Naar de volgende schooldag", "Move it to the next school day"),
    "form.holidays": (
        "Valt een ronde in een schoolvakantie of op een studiedag?",
        "When a round falls in a school holiday or on a study day?",
    ),
    # -- the school calendar -------------------------------------------------------
    "region.name.noord": ("noord", "north"),
    "region.name.midden": ("midden", "middle"),
    "region.name.zuid": ("zuid", "south"),
    "region.show": (
        "Dit team volgt de schoolvakanties van regio *{region}*. Eigen studiedagen: {days}.\n"
        "Andere regio: `{cmd} regio noord`, `midden` of `zuid` (of `geen`). "
        "Een studiedag erbij: `{cmd} studiedag 15-03-2027`; eraf: `{cmd} studiedag weg 15-03-2027`.",
        "This team follows the school holidays of region *{region}*. Study days of your own: {days}.\n"
        "Another region: `{cmd} region north`, `middle` or `south` (or `none`). "
        "Add a study day: `{cmd} studyday 2027-03-15`; remove one: `{cmd} studyday remove 2027-03-15`.",
    ),
    "region.none": (
        "Dit team heeft nog geen regio, dus schoolvakanties tellen niet mee in de planning. "
        "Kies je regio: `{cmd} regio noord`, `{cmd} regio midden` of `{cmd} regio zuid`. "
        "Eigen studiedagen: {days}.",
        "This team has no region yet, so school holidays don't count in the planning. "
        "Choose your region: `{cmd} region north`, `{cmd} region middle` or `{cmd} region south`. "
        "Study days of your own: {days}.",
    ),
    "region.set": (
        "Dit team volgt nu de schoolvakanties van regio *{region}*. Geplande rondes in een vakantie "
        "worden overgeslagen of verschoven, zoals bij elke planning staat (`{cmd} plan`).",
        "This team now follows the school holidays of region *{region}*. Planned rounds in a holiday "
        "are skipped or moved, as each plan says (`{cmd} plan`).",
    ),
    "region.cleared": (
        "Dit team heeft geen regio meer: schoolvakanties tellen niet meer mee. Je eigen studiedagen wel.",
        "This team no longer has a region: school holidays no longer count. Your own study days still do.",
    ),
    "region.unknown": (
        "Die regio ken ik niet. Kies `{cmd} regio noord`, `{cmd} regio midden`, `{cmd} regio zuid` of `{cmd} regio geen`.",
        "I don't know that region. Choose `{cmd} region north`, `{cmd} region middle`, `{cmd} region south` or `{cmd} region none`.",
    ),
    "study_day.none": ("geen", "none"),
    "study_day.added": (
        "{day} is een studiedag: er is die dag geen geplande ronde en geen herinnering aan een actie.",
        "{day} is a study day: no planned round that day and no action reminder.",
    ),
    "study_day.known": ("{day} stond al als studiedag.", "{day} was a study day already."),
    "study_day.removed": ("{day} is geen studiedag meer.", "{day} is no longer a study day."),
    "study_day.absent": ("{day} stond niet als studiedag.", "{day} was not a study day."),
    "study_day.bad_date": (
        "Dat lees ik niet als datum. Schrijf bijvoorbeeld `{cmd} studiedag 15-03-2027` of `{cmd} studiedag 2027-03-15`.",
        "I can't read that as a date. Write for example `{cmd} studyday 2027-03-15` or `{cmd} studyday 15-03-2027`.",
    ),
    "study_day.past": (
        "{day} is al voorbij. Een studiedag zet je voor een dag die nog komt.",
        "{day} has passed. A study day is for a day still to come.",
    ),
    "short.live": ("live", "live"),
    "short.async": ("verspreid", "spread out"),
    # -- answers -------------------------------------------------------------------
    "created": (
        "Gepland (#{id}): {protocol}, {rule}. De eerste ronde: {next}.",
        "Planned (#{id}): {protocol}, {rule}. The first round: {next}.",
    ),
    "paused": (
        "Planning #{id} is gepauzeerd. Hervat haar met *Hervat*.",
        "Schedule #{id} is paused. Resume it with *Resume*.",
    ),
    "resumed": (
        "Planning #{id} loopt weer. De volgende ronde: {next}.",
        "Schedule #{id} runs again. The next round: {next}.",
    ),
    "deleted": ("Planning #{id} is verwijderd.", "Schedule #{id} is deleted."),
    "unchanged": ("Planning #{id} was al {state}.", "Schedule #{id} was already {state}."),
    "state.active": ("actief", "active"),
    "state.paused": ("gepauzeerd", "paused"),
    "feed_renewed": (
        "De oude agendalink werkt niet meer. De nieuwe: {url}",
        "The old calendar link no longer works. The new one: {url}",
    ),
    # -- refusals ------------------------------------------------------------------
    "error.bad_time": (
        "`{typed}` is geen tijd. Schrijf de tijd als UU:MM, bijvoorbeeld 15:30.",
        "`{typed}` is not a time. Write the time as HH:MM, for example 15:30.",
    ),
    "error.dst_hour": (
        "Tussen 02:00 en 03:00 kan ik geen ronde plannen: in die nacht verzetten we de klok, "
        "dan valt zo'n ronde weg of komt hij twee keer. Kies een andere tijd.",
        "I can't plan a round between 02:00 and 03:00: the clocks change in that hour, so such a "
        "round would be skipped or come twice. Choose another time.",
    ),
    "error.unknown_protocol": (
        "Ik ken de methode `{typed}` niet. Kies er een uit de lijst: {titles}.",
        "I don't know the method `{typed}`. Choose one from the list: {titles}.",
    ),
    "error.mode_not_offered": (
        "{protocol} kan niet {mode}. Kies de andere vorm.",
        "{protocol} cannot be run {mode}. Choose the other format.",
    ),
    "error.no_weekday": (
        "Kies ten minste één dag van de week.",
        "Choose at least one day of the week.",
    ),
    "error.bad_choice": (
        "Het formulier bevat een keuze die ik niet ken ({field}). Open het opnieuw met `{cmd} plan`.",
        "The form holds a choice I don't know ({field}). Open it again with `{cmd} plan`.",
    ),
    "error.bad_date": (
        "Die datum begrijp ik niet. Kies een datum in de kalender.",
        "I don't understand that date. Pick a date in the calendar.",
    ),
    "error.past_date": (
        "De startdatum ligt in het verleden. Kies vandaag of later.",
        "The start date is in the past. Choose today or later.",
    ),
    "error.too_many": (
        "Dit kanaal heeft al {max} planningen. Verwijder er eerst een.",
        "This channel already has {max} schedules. Delete one first.",
    ),
    "error.schedule_gone": (
        "Die planning bestaat hier niet (meer). Zie `{cmd} plan`.",
        "That schedule does not exist here (any more). See `{cmd} plan`.",
    ),
    "error.malformed": (
        "Dat formulier of die knop begrijp ik niet (meer). Open de planning opnieuw met `{cmd} plan`.",
        "I don't understand that form or button (any more). Open planning again with `{cmd} plan`.",
    ),
    # -- what the scheduler posts ------------------------------------------------------
    "note.late": (
        "Deze ronde stond gepland voor {time}. Hij begint later, omdat dialoog toen niet draaide.",
        "This round was planned for {time}. It starts late because dialoog was not running then.",
    ),
    "note.refused": (
        "De geplande ronde {protocol} van {time} kon niet beginnen: {reason}",
        "The planned round of {protocol} at {time} could not start: {reason}",
    ),
    "note.collect": (
        "*{protocol}* op {when}. Heb je een casus die je wilt inbrengen? Denk er alvast over na: "
        "aan het begin van de ronde stellen jullie casussen voor en kiezen jullie er samen één.",
        "*{protocol}* on {when}. Do you have a case you would like to bring in? Start thinking "
        "about it: at the start of the round you propose cases and choose one together.",
    ),
    "note.remind": (
        "Herinnering: *{protocol}* begint hier {when} ({mode}).",
        "Reminder: *{protocol}* starts here {when} ({mode}).",
    ),
    "action.remind": (
        "Herinnering aan je actiepunt (af op {due}): _{text}_\n"
        "In de volgende ronde vertel je hoe het ging.",
        "A reminder of your action point (due {due}): _{text}_\n"
        "In the next round you tell how it went.",
    ),
    "feed.name": ("dialoog: {team}", "dialoog: {team}"),
    "feed.summary": ("{protocol} (dialoog)", "{protocol} (dialoog)"),
    "feed.description": (
        "{mode} ronde in {channel}, gepland met dialoog.",
        "{mode} round in {channel}, planned with dialoog.",
    ),
    "feed.live": ("Live", "Live"),
    "feed.async": ("Verspreide", "Spread-out"),
}


def t(language: Language, key: str, **params: object) -> str:
    return translate(TEXTS, key, language, **params)
