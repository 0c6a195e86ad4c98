"""What the guard says, in Dutch and English."""

from __future__ import annotations

from bot.i18n import Catalog

TEXTS: Catalog = {
    "pupil": ("leerling {letter}", "pupil {letter}"),
    "removed.birth_date": ("[geboortedatum weggelaten]", "[date of birth removed]"),
    "removed.bsn": ("[BSN weggelaten]", "[BSN removed]"),
    "removed.student_number": ("[leerlingnummer weggelaten]", "[student number removed]"),
    "removed.email": ("[e-mailadres weggelaten]", "[e-mail address removed]"),
    "removed.phone": ("[telefoonnummer weggelaten]", "[phone number removed]"),
    "kind.name": ("een naam", "a name"),
    "kind.birth_date": ("een geboortedatum", "a date of birth"),
    "kind.bsn": ("een BSN", "a BSN"),
    "kind.student_number": ("een leerlingnummer", "a student number"),
    "kind.email": ("een e-mailadres", "an e-mail address"),
    "kind.phone": ("een telefoonnummer", "a phone number"),
    "question": (
        "Je bijdrage lijkt {what} van een leerling te bevatten. Hij is nog niet opgeslagen "
        "en niemand anders ziet hem. Namen van leerlingen zijn voor intervisie niet nodig.",
        "Your contribution seems to hold {what} of a pupil. It is not saved yet and nobody "
        "else sees it. Pupils' names are not needed for peer consultation.",
    ),
    "proposal": ("Met leerling A wordt het:", "With pupil A it reads:"),
    "thread_hint": (
        "Je bericht staat nog wel in de draad: haal het daar zelf weg als het een leerling noemt.",
        "Your message is still in the thread: remove it there yourself if it names a pupil.",
    ),
    "button.replace": ("Gebruik leerling A", "Use pupil A"),
    "button.edit": ("Zelf aanpassen", "Change it myself"),
    "button.post": ("Toch plaatsen", "Post it anyway"),
    "edit.title": ("Pas je bijdrage aan", "Change your contribution"),
    "edit.label": ("Je bijdrage", "Your contribution"),
    "edit.submit": ("Plaatsen", "Post"),
}
