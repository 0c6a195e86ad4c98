"""The engine's own texts (round card, notices, forms, summary), in Dutch and English."""

from __future__ import annotations

from bot.i18n import Catalog

TEXTS: Catalog = {
    # How a role gets its holder.
    "assign.starter": ("die rol krijgt wie de ronde start", "that role goes to whoever starts"),
    "assign.volunteer": ("iemand meldt zich aan", "someone volunteers"),
    "assign.rotation": (
        "die rol gaat om de beurt; de gespreksleider kan hem toewijzen",
        "that role rotates; the facilitator can assign it",
    ),
    "assign.vote": (
        "wie de gekozen casus inbracht, krijgt die rol",
        "it goes to whoever brought the chosen case",
    ),
    "assign.everyone_else": (
        "die rol heeft iedereen zonder andere rol",
        "everyone without another role has it",
    ),
    # What would fill an empty role.
    "missing.volunteer": (
        "Meld je aan op de kaart, of laat de gespreksleider iemand aanwijzen met *Rollen*.",
        "Volunteer on the card, or let the facilitator assign someone with *Roles*.",
    ),
    "missing.assign": (
        "De gespreksleider wijst iemand aan met *Rollen*.",
        "The facilitator assigns someone with *Roles*.",
    ),
    # What a person can do in a step of this kind.
    "hint.instruction": ("Lees de uitleg en klik op *Gelezen*.", "Read it and click *Read*."),
    "hint.speak": (
        "Luister, of schrijf als jij het woord hebt.",
        "Listen, or write if you have the floor.",
    ),
    "hint.collect": ("Schrijf je bijdrage met *Schrijf*.", "Write your contribution with *Write*."),
    "hint.vote": ("Stem met *Stem*.", "Vote with *Vote*."),
    "hint.respond": (
        "De inbrenger beantwoordt nu de vragen.",
        "The case owner is answering the questions now.",
    ),
    "hint.pick": (
        "De inbrenger kiest nu wat het meest helpt.",
        "The case owner is choosing what helps most.",
    ),
    "hint.round_robin": ("Ieder is om de beurt aan het woord.", "Everyone speaks in turn."),
    "hint.actions": (
        "Leg actiepunten vast met *Actiepunt*.",
        "Record action points with *Action*.",
    ),
    "hint.reflect": ("Kijk terug met *Kijk terug*.", "Look back with *Reflect*."),
    "hint.listen": ("Jij luistert en leest mee.", "You listen and read along."),
    # The state of the round.
    "status.gathering": ("Wachten op deelnemers", "Waiting for participants"),
    "status.paused": ("Gepauzeerd", "Paused"),
    "status.finished": ("Afgerond", "Finished"),
    "status.cancelled": ("Gestopt", "Stopped"),
    "mode.live": ("live", "live"),
    "mode.async": ("verspreid over dagen", "spread over days"),
    # What earlier steps brought, shown again (protocols' `shows:`).
    "recall.title": ("Uit stap {n} · {title}", "From step {n} · {title}"),
    "recall.no_answer": ("niet beantwoord", "not answered"),
    "recall.read_all": ("Lees alles", "Read it all"),
    "recall.heading": ("Waar deze stap op verder bouwt", "What this step builds on"),
    # The round card.
    "card.step": ("Stap {n} van {total}: {title}", "Step {n} of {total}: {title}"),
    "card.roles": ("Rollen", "Roles"),
    "card.participants": ("Deelnemers", "Participants"),
    "card.nobody": ("nog niemand", "nobody yet"),
    "card.time_left": ("Nog {minutes} min · tot {until}", "{minutes} min left · until {until}"),
    "card.time_up": ("De tijd is om", "Time is up"),
    "card.open_until": ("Open tot {when}", "Open until {when}"),
    "card.paused": (
        "Gepauzeerd; nog {minutes} min als het verder gaat",
        "Paused; {minutes} min left when it resumes",
    ),
    "card.waiting_for": ("Nog niet binnen: {names}", "Still to come: {names}"),
    "card.gathering": (
        "Wie meedoet, klikt op *Meedoen*. Zijn jullie er, dan begint de gespreksleider met "
        "*Start de eerste stap*.",
        "Click *Join* to take part. When everyone is there, the facilitator begins with "
        "*Start the first step*.",
    ),
    "card.duration_live": (
        "Live duurt dit ongeveer {minutes} minuten.",
        "Live, this takes about {minutes} minutes.",
    ),
    "card.duration_async": (
        "Verspreid over dagen duurt dit ongeveer {days:dag|dagen}; ieder schrijft wanneer het "
        "uitkomt.",
        "Spread over days, this takes about {days:day|days}; everyone writes when it suits them.",
    ),
    "card.for_facilitator": ("Voor de gespreksleider ({names}):", "For the facilitator ({names}):"),
    "card.read_hint": (
        "Klik op *Gelezen* als je dit gelezen hebt.",
        "Click *Read* once you have read this.",
    ),
    "card.ground_rules": ("Afspraken", "Ground rules"),
    "card.best_live": (
        "Deze methode werkt het best live, in een videogesprek: je hoort de toon en de stiltes. "
        "De bot houdt het verslag bij.",
        "This method works best live, in a video call, where you hear the tone and the silences. "
        "The bot keeps the record.",
    ),
    "card.best_spoken.async": (
        "Deze stap werkt het best als gesprek: spreek zo nodig een moment af om te bellen. "
        "Schrijf de kern hier op, dan houdt de bot het verslag bij.",
        "This step works best as a conversation: if you can, arrange a moment to call. "
        "Write down the gist here, so the bot keeps the record.",
    ),
    "card.best_spoken.live": (
        "Deze stap werkt het best als gesprek: zet de camera aan en praat. "
        "Schrijf daarna de kern hier op, dan houdt de bot het verslag bij.",
        "This step works best as a conversation: turn on your camera and talk. "
        "Then write down the gist here, so the bot keeps the record.",
    ),
    "card.live_cap": (
        "Live stelt ieder maximaal {count:vraag|vragen}, zodat de inbrenger ze allemaal kan beantwoorden.",
        "Live, everyone asks at most {count:question|questions}, so the case owner can answer them all.",
    ),
    "card.stays_open": (
        "Deze stap blijft open tot de gespreksleider hem sluit of de tijd om is, "
        "ook als iedereen al iets schreef. Reageer gerust op elkaar.",
        "This step stays open until the facilitator closes it or time is up, "
        "even once everyone has written something. Feel free to respond to each other.",
    ),
    "card.hidden": (
        "{count:bijdrage|bijdragen}; zichtbaar aan het eind van deze stap",
        "{count:contribution|contributions}; shown at the end of this step",
    ),
    "card.owner_only": (
        "{count:bijdrage|bijdragen}; alleen voor de inbrenger",
        "{count:contribution|contributions}; for the case owner only",
    ),
    "card.offer_waiting": (
        "De groep koos: _{text}_\nWe vragen de schrijver privé of die {role} wil zijn. "
        "Tot die ja zegt, blijft anoniem van wie de casus is.",
        "The group chose: _{text}_\nWe are asking its author privately whether they will be "
        "{role}. Until they say yes, whose case it is stays anonymous.",
    ),
    "card.collected": ("Tot nu toe", "So far"),
    "card.candidates": ("Kies uit", "Choose from"),
    "card.votes": ("{count:stem|stemmen}", "{count:vote|votes}"),
    "card.questions": ("Vragen en antwoorden", "Questions and answers"),
    "card.no_answer": ("nog geen antwoord", "no answer yet"),
    "card.choices": ("Om uit te kiezen", "To choose from"),
    "card.picked": ("gekozen", "picked"),
    "card.turn": ("Aan de beurt: *{name}*", "Now speaking: *{name}*"),
    "card.turns_done": ("Iedereen is aan de beurt geweest.", "Everyone has had their turn."),
    "card.open_actions": ("Actiepunten van vorige keer", "Action points from last time"),
    "card.new_actions": ("Actiepunten", "Action points"),
    "card.action": ("{owner}, uiterlijk {due}", "{owner}, by {due}"),
    "card.reflected": ("{count} van {total} keken terug", "{count} of {total} have reflected"),
    "card.read": ("{count} van {total} lazen het", "{count} of {total} have read it"),
    "card.anonymous": ("anoniem", "anonymous"),
    "report.done": ("gedaan", "done"),
    "report.partly": ("deels", "partly"),
    "report.not_yet": ("nog niet", "not yet"),
    "report.open": ("nog geen bericht", "no report yet"),
    "report.last.partly": ("vorige keer deels", "partly, last time"),
    "report.last.not_yet": ("vorige keer nog niet", "not yet, last time"),
    "settled.drop": ("laten vallen", "dropped"),
    "settled.rephrase": ("anders geformuleerd", "rephrased"),
    "settled.keep": ("blijft staan", "kept"),
    "notify.settle": (
        "Je actie staat nu voor de {n}e keer op 'nog niet': _{text}_\n"
        "Misschien past hij niet meer, of vraagt hij een andere aanpak. Kies of je hem laat vallen, "
        "anders formuleert of zo laat staan.",
        "Your action has now been reported 'not yet' {n} times: _{text}_\n"
        "Perhaps it no longer fits, or needs another approach. Choose whether to drop it, "
        "phrase it differently, or keep it as it is.",
    ),
    "button.settle": ("Kies wat je ermee doet", "Decide what to do with it"),
    "form.settle": ("Wat doe je met deze actie?", "What will you do with this action?"),
    "form.settle_decision": ("Je keuze", "Your choice"),
    "form.settle_text": (
        "Nieuwe formulering (als je hem anders formuleert)",
        "New wording (if you rephrase it)",
    ),
    "form.settle_due": ("Nieuwe datum (mag leeg)", "New date (may be left empty)"),
    # Buttons.
    "button.join": ("Meedoen", "Join"),
    "button.volunteer": ("Ik ben {role}", "I'll be {role}"),
    "button.start": ("Start de eerste stap", "Start the first step"),
    "button.advance": ("Volgende stap", "Next step"),
    "button.finish": ("Rond af", "Finish"),
    "button.extend_live": ("+5 min", "+5 min"),
    "button.extend_minutes": ("{minutes} minuten erbij", "{minutes} more minutes"),
    "button.extend_async": ("+1 dag", "+1 day"),
    "button.pause": ("Pauze", "Pause"),
    "button.resume": ("Verder", "Resume"),
    "button.cancel": ("Stoppen", "Stop"),
    "button.next_turn": ("Klaar, volgende", "Done, next"),
    "button.write": ("Schrijf", "Write"),
    "button.vote": ("Stem", "Vote"),
    "button.respond": ("Beantwoord", "Answer"),
    "button.pick": ("Kies", "Pick"),
    "button.reflect": ("Kijk terug", "Reflect"),
    "button.add_action": ("Actiepunt", "Action"),
    "button.read": ("Gelezen", "Read"),
    "button.done": ("Klaar", "Done"),
    "button.report": ("Vertel hoe het ging", "Report back"),
    "button.roles": ("Rollen", "Roles"),
    "button.back": ("Vorige stap", "Previous step"),
    "button.edit": ("Wijzig", "Change"),
    "button.withdraw": ("Trek in", "Withdraw"),
    "button.advance_anyway": ("Toch volgende stap", "Next step anyway"),
    "button.cancel_confirmed": ("Ja, stop de ronde", "Yes, stop the round"),
    "card.edited": ("gewijzigd", "changed"),
    "form.yours": ("Wat je in deze stap schreef", "What you wrote in this step"),
    "form.edit": ("Je bijdrage wijzigen", "Change your contribution"),
    "form.save": ("Bewaar", "Save"),
    "button.accept_role": ("Ja, ik word {role}", "Yes, I'll be {role}"),
    "button.decline_role": ("Liever niet", "Rather not"),
    "button.skip_offer": ("Niet langer wachten", "Stop waiting"),
    # Forms.
    "form.your_text": ("Jouw bijdrage", "Your contribution"),
    "form.your_question": ("Jouw vraag", "Your question"),
    "form.send": ("Verstuur", "Send"),
    "form.vote_label": ("Jouw keuze", "Your choice"),
    "form.item": ("Vraag", "Question"),
    "form.answer": ("Jouw antwoord", "Your answer"),
    "form.label": ("Hoe raakt deze vraag je?", "How does this question touch you?"),
    "form.pick_label": ("Wat helpt jou het meest?", "What helps you most?"),
    "form.action_text": ("Wat ga je doen?", "What will you do?"),
    "form.action_owner": ("Wie doet het?", "Who does it?"),
    "form.action_due": ("Uiterlijk op", "By"),
    "form.rating": (
        "Hoe was deze ronde? (1 = matig, {scale} = heel waardevol)",
        "How was this round? (1 = poor, {scale} = very valuable)",
    ),
    "form.takeaway": ("Wat neem je mee?", "What do you take away?"),
    "form.sources": (
        "Waar leerde je van? (kies wat past)",
        "What did you learn from? (choose what fits)",
    ),
    "source.practice": ("Eigen praktijk", "My own practice"),
    "source.colleagues": ("Collega's", "Colleagues"),
    "source.theory": ("Theorie", "Theory"),
    "form.report_status": ("Hoe staat het ermee?", "How is it going?"),
    "form.report_note": ("Wat heb je gedaan of geleerd?", "What did you do or learn?"),
    "form.private": ("Alleen voor jou", "Just for you"),
    "form.roles": ("Rollen verdelen", "Hand out roles"),
    "form.report": ("Actiepunten van vorige keer", "Action points from last time"),
    "form.role": ("Rol", "Role"),
    "form.person": ("Wie", "Who"),
    # Notices in the thread and in private.
    "notify.started": (
        "*{title}* is gestart door {name} ({mode}). Doe mee via de kaart hierboven.",
        "*{title}* was started by {name} ({mode}). Join on the card above.",
    ),
    "notify.scheduled": (
        "*{title}* begint, zoals gepland ({mode}). Doe mee via de kaart hierboven; wie het "
        "gesprek leidt, meldt zich als gespreksleider.",
        "*{title}* begins, as planned ({mode}). Join on the card above; whoever leads the "
        "conversation volunteers as facilitator.",
    ),
    "notify.step": ("*Stap {n}: {title}*\n{prompt}", "*Step {n}: {title}*\n{prompt}"),
    "notify.chosen": (
        "De groep koos de casus van {name}: _{text}_",
        "The group chose {name}'s case: _{text}_",
    ),
    "notify.chosen_role": ("{name} is de {role}.", "{name} is the {role}."),
    "notify.chosen_anonymous": ("De groep koos: _{text}_", "The group chose: _{text}_"),
    "notify.role": ("{name} is nu {role}.", "{name} is now {role}."),
    "notify.your_role": ("Je bent in deze ronde {role}.", "In this round you are {role}."),
    "notify.offered": (
        "De groep koos: _{text}_\nWe vragen de schrijver eerst privé of die {role} wil zijn. "
        "Tot die ja zegt, blijft anoniem van wie de casus is.",
        "The group chose: _{text}_\nWe first ask its author privately whether they will be "
        "{role}. Until they say yes, whose case it is stays anonymous.",
    ),
    "notify.offered_next": (
        "Nu vragen we de schrijver van _{text}_ privé of die {role} wil zijn.",
        "Now we ask the author of _{text}_ privately whether they will be {role}.",
    ),
    "notify.offer": (
        "De groep koos jouw casus: _{text}_\nWil je hem inbrengen? Dan ben je {role} en ziet "
        "iedereen dat de casus van jou is. Zeg je nee, dan blijft dat onder ons: niemand hoort "
        "dat hij van jou was. Antwoord uiterlijk {when}.",
        "The group chose your case: _{text}_\nWill you bring it? Then you are {role} and "
        "everyone sees the case is yours. If you say no, that stays between us: nobody hears "
        "it was yours. Please answer by {when}.",
    ),
    "notify.offer_declined": (
        "De casus _{text}_ wordt vandaag niet ingebracht. Van wie hij was, blijft onder ons.",
        "The case _{text}_ will not be brought today. Whose it was stays between us.",
    ),
    "notify.offer_lapsed": (
        "Je antwoord over je casus _{text}_ kwam niet op tijd; de ronde gaat verder zonder hem. "
        "Niemand weet dat hij van jou was.",
        "Your answer about your case _{text}_ did not come in time; the round goes on without "
        "it. Nobody knows it was yours.",
    ),
    "notify.offer_skipped": (
        "De gespreksleider ging verder zonder op je antwoord te wachten; je casus _{text}_ "
        "wordt vandaag niet ingebracht. Niemand weet dat hij van jou was.",
        "The facilitator moved on without waiting for your answer; your case _{text}_ will "
        "not be brought today. Nobody knows it was yours.",
    ),
    "notify.offer_accepted": (
        "{name} brengt de casus in en is {role}: _{text}_",
        "{name} brings the case and is {role}: _{text}_",
    ),
    "notify.vote_again": (
        "Stem opnieuw: kies uit de casussen die over zijn.",
        "Vote again: choose from the cases that are left.",
    ),
    "notify.no_case_left": (
        "Er is geen casus meer over om in te brengen. Gespreksleider: wijs de rol zelf toe met "
        "*Rollen* en ga dan verder.",
        "There is no case left to bring. Facilitator: assign the role yourself with *Roles*, "
        "then move on.",
    ),
    "notify.no_case": (
        "Er was geen casus om uit te kiezen. Gespreksleider: wijs de inbrenger zelf aan.",
        "There was no case to choose from. Facilitator: assign the case owner yourself.",
    ),
    "notify.time_up": (
        "De tijd voor '{title}' is om. Gaan jullie verder, of nemen jullie er nog even bij?",
        "Time is up for '{title}'. Move on, or take a little longer?",
    ),
    "notify.time_up_group": (
        "De tijd voor '{title}' is om. Maak rustig af waar je mee bezig bent; "
        "{names} kiest zo of jullie verdergaan of er nog even bij nemen.",
        "Time is up for '{title}'. Finish what you are doing, no rush; "
        "{names} will choose in a moment whether to move on or take a little longer.",
    ),
    "notify.names_or": ("{first} of {last}", "{first} or {last}"),
    "notify.nearly_up": (
        "Nog {minutes} min voor '{title}'. Rond af of geef er wat tijd bij.",
        "{minutes} min left for '{title}'. Wrap up, or add some time.",
    ),
    "notify.reminder_half": (
        "Herinnering: '{title}' staat open tot {when}. Jouw bijdrage ontbreekt nog.",
        "Reminder: '{title}' is open until {when}. Your part is still to come.",
    ),
    "notify.reminder_final": (
        "Laatste herinnering: '{title}' sluit {when}. Doe je nog mee?",
        "Last reminder: '{title}' closes {when}. Will you still take part?",
    ),
    "notify.revealed": ("Nu voor iedereen zichtbaar: {title}", "Now visible to all: {title}"),
    "notify.turn": ("{name}, jij hebt nu het woord.", "{name}, you have the floor now."),
    "notify.finished": (
        "De ronde is klaar. Dank jullie wel! Hier is de samenvatting.",
        "The round is finished. Thank you all! Here is the summary.",
    ),
    "notify.cancelled": ("{name} heeft de ronde gestopt.", "{name} stopped the round."),
    "notify.cancelled_summary": (
        "{name} heeft de ronde gestopt. Hieronder staat wat er tot dan toe is ingebracht.",
        "{name} stopped the round. Below is what was contributed until then.",
    ),
    "notify.back": (
        "{name} ging terug naar stap {n}: {title}. Wat in de volgende stap al geschreven is, "
        "blijft bewaard.",
        "{name} went back to step {n}: {title}. What was already written in the next step is kept.",
    ),
    "notify.paused": ("De ronde staat op pauze.", "The round is paused."),
    "notify.resumed": ("De ronde gaat verder.", "The round continues."),
    "notify.for_case_owner": (
        "Nieuw, alleen voor jou als inbrenger ({title}):\n> {text}",
        "New, for you as case owner only ({title}):\n> {text}",
    ),
    "notify.private_summary": (
        "Jouw eigen kopie van de ronde, met wat alleen voor jou bedoeld was:",
        "Your own copy of the round, with what was meant for you alone:",
    ),
    # The case owner's own copy of the summary, sent privately.
    "copy.title": ("Jouw kopie als inbrenger: {title}", "Your copy as case owner: {title}"),
    "copy.picked": ("Wat je koos uit de adviezen", "What you picked from the advice"),
    "copy.actions": ("Wat je op je nam", "What you took on"),
    "copy.none": ("niets", "nothing"),
    "copy.due": ("uiterlijk {due}", "by {due}"),
    # The summary.
    "summary.title": ("Samenvatting: {title}", "Summary: {title}"),
    "summary.meta": (
        "{date} · {count:deelnemer|deelnemers} · {mode}",
        "{date} · {count:participant|participants} · {mode}",
    ),
    "summary.roles": ("Rollen", "Roles"),
    "summary.chosen": ("Gekozen casus ({name}): {text}", "Chosen case ({name}): {text}"),
    "summary.chosen_anonymous": ("Gekozen casus: {text}", "Chosen case: {text}"),
    "summary.votes": ("{count:stem|stemmen}", "{count:vote|votes}"),
    "summary.answer": ("Antwoord", "Answer"),
    "summary.no_answer": ("niet beantwoord", "not answered"),
    "summary.picked": ("gekozen door de inbrenger", "picked by the case owner"),
    "summary.actions": ("Afgesproken acties", "Agreed actions"),
    "summary.reports": ("Acties van vorige keer", "Actions from last time"),
    "summary.rating": (
        "Gemiddeld cijfer: {avg} van {scale} ({count} keer)",
        "Average rating: {avg} of {scale} ({count:rating|ratings})",
    ),
    "summary.takeaways": ("Wat deelnemers meenemen", "What participants take away"),
    "summary.nothing": ("(niets vastgelegd)", "(nothing recorded)"),
    "summary.cancelled": ("Deze ronde is voortijdig gestopt.", "This round was stopped early."),
}
