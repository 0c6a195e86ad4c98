"""What the privacy features say, in Dutch and English."""

from __future__ import annotations

from bot.i18n import Catalog

TEXTS: Catalog = {
    # What stays in a round where an erased person's words were.
    "tombstone": ("[verwijderd]", "[erased]"),
    "erased_name": ("Verwijderde deelnemer", "Erased participant"),
    # The export, as Markdown.
    "title": ("Wat dialoog over je bewaart", "What dialoog keeps about you"),
    "intro": (
        "Gemaakt op {at} voor {user} ({platform}, {workspace}). Dit is alles wat in de "
        "database van je school over je staat: je lidmaatschappen, je rollen, wat je "
        "schreef, je acties en je reflecties.",
        "Made on {at} for {user} ({platform}, {workspace}). This is everything the "
        "database of your school holds about you: your memberships, your roles, what "
        "you wrote, your actions and your reflections.",
    ),
    "memberships": ("Lidmaatschap", "Membership"),
    "membership_line": (
        "{team}: als \u201c{name}\u201d, sinds {since}",
        "{team}: as \u201c{name}\u201d, since {since}",
    ),
    "none": ("(niets)", "(nothing)"),
    "round": (
        "Ronde: {protocol}, {team}, {at} ({status})",
        "Round: {protocol}, {team}, {at} ({status})",
    ),
    "roles": ("Rollen", "Roles"),
    "wrote": ("Wat je schreef", "What you wrote"),
    "changed": ("gewijzigde versie", "changed version"),
    "withdrawn": ("ingetrokken", "withdrawn"),
    "answered": ("Je antwoorden", "Your answers"),
    "voted": ("Je stemde of koos in: {steps}", "You voted or picked in: {steps}"),
    "reflection": ("Reflectie ({rating}): {text}", "Reflection ({rating}): {text}"),
    "actions": ("Acties", "Actions"),
    "action_line": (
        "{text} (voor {due}, {status})",
        "{text} (due {due}, {status})",
    ),
    "report_line": ("Je verslag ({status}): {text}", "Your report ({status}): {text}"),
    "schedules": ("Planningen die je maakte", "Schedules you made"),
    "schedule_line": ("{protocol}, {when}", "{protocol}, {when}"),
    "chat_lines": ("Je berichten in de webchat", "Your messages in the web chat"),
    "held_back": (
        "Tegengehouden tot je kiest (mogelijk een leerlingnaam)",
        "Held back until you choose (possibly a pupil's name)",
    ),
}
