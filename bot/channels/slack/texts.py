"""What the Slack channel says itself, in Dutch and English."""

from __future__ import annotations

from bot.i18n import Catalog

TEXTS: Catalog = {
    "modal.close": ("Annuleer", "Cancel"),
    "modal.more": (
        "Er is nog meer voor je om in te vullen. Verstuur dit eerst en open het formulier "
        "daarna opnieuw.",
        "There is more for you to fill in. Send this first, then open the form again.",
    ),
    "modal.too_long": (
        "Niet alles past in dit venster; wat hier ontbreekt, kreeg je ook als privébericht.",
        "Not everything fits in this window; what is missing here also reached you as a "
        "direct message.",
    ),
    "modal.choices": ("De keuzes voluit:", "The choices in full:"),
    "modal.required": ("Vul dit in.", "Please fill this in."),
    "modal.fill_one": (
        "Vul minstens één van de formulieren in.",
        "Please fill in at least one of the forms.",
    ),
    "modal.failed": (
        "Het formulier ging niet open (Slack meldde `{code}`). Klik nog eens op de knop.",
        "The form did not open (Slack said `{code}`). Please click the button again.",
    ),
    "not_saved": (
        "Dit is niet opgeslagen. Wat je schreef, zodat je het niet kwijt bent:",
        "This was not saved. What you wrote, so you don't lose it:",
    ),
    "cannot_post": (
        "Ik kan niet posten in <#{channel}> (Slack meldt `{code}`). Nodig me uit met "
        "`/invite @dialoog` in dat kanaal en typ daarna `{cmd} status`: de ronde staat klaar, "
        "er is niets verloren.",
        "I can't post in <#{channel}> (Slack says `{code}`). Invite me with `/invite @dialoog` "
        "in that channel, then type `{cmd} status`: the round is ready, nothing was lost.",
    ),
    "cannot_post_archived": (
        "Het kanaal <#{channel}> is gearchiveerd; ik kan er niet meer posten. Start de ronde "
        "in een ander kanaal.",
        "The channel <#{channel}> is archived; I can no longer post there. Start the round in "
        "another channel.",
    ),
    "trouble": (
        "Er ging iets mis bij het verwerken hiervan. Probeer het zo nog eens.",
        "Something went wrong while handling this. Please try again in a moment.",
    ),
}
