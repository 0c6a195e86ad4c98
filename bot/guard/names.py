"""The word lists behind the guard: first names, and the words that keep it quiet.

First names come from Faker's person providers (MIT, maintained, pure data): the
Dutch lists are the names Dutch and Flemish children actually get (including the
Turkish, Moroccan and other names common in Dutch classrooms), and the English,
German, Turkish, Polish and French lists cover the rest of a Dutch school. The
other lists here are ours, written for teachers' texts.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Faker locales whose first names pupils in a Dutch school commonly have.
_LOCALES = ("nl_NL", "nl_BE", "en_GB", "en_US", "de_DE", "tr_TR", "pl_PL", "fr_FR")
_ATTRIBUTES = ("first_names", "first_names_male", "first_names_female")

# Names common in Dutch classrooms that the Faker lists above lack (Moroccan-Dutch,
# Surinamese, Antillean, Cape Verdean, Eritrean, Syrian): our own short list.
SUPPLEMENT = _words("""
    mohamed mohammed muhammed yassin yassine ilias ilyas hamza soufiane anouar nordin
    bilal ayoub adam rayan zakaria younes achraf ismail imane khadija fatima fatma
    salma hiba nour nouri yasmina yasmine meryem malak ikram samira naima latifa
    jayden jaydon jaylen dwayne kevin shanice shaquille roshni priya anjali ravi
    dayenne chanel kenji jurgen dion djamila mariam aisha amal rania lina selin elif
    esra sude zeynep ecem berat emir yusuf mustafa omer ahmet mehmet tarik
    """)

# First names that are also ordinary words, in Dutch or English: written with a
# capital mid-sentence they are names, but at the start of a sentence ("Ben je er?",
# "Wil jij de tijd bewaken?", "Beste collega's") they are usually the word.
AMBIGUOUS = _words("""
    amber angel april bas ben beste bo bob constant dan don els el fleur gazel heide
    iris jade jan jet job kick kent kader lander lies lieve linde lot mare mark marine
    max maxim maxime mees merel nada nova peer penny puck raven rob roman roos server
    sultane toon urban wolf beren bergen viola flora gloria madelief jasmijn erica
    daisy will wil hope faith grace joy may june summer rose lily holly ivy dawn sky
    river hunter parker rich bill frank guy art dean earl gene jack sue pat ray ken
    carol herb sunny autumn heather brandy candy crystal ruby pearl violet ginger
    olive chase cash king lane major royal miles price young cliff drew wade august
    storm hoop lex edit holm grit ante alla baba divan salami tan toy allen dries joke
    kim kris leen mats peren pol rune tule can an us else said till grant lee floor
    canal cord curt dale destiny diamond glen greet harm hazel jay lance laze lea lien lode
    lore marina meta misty randy sandy tanner ties troy ward melody ebony hardy mason
    sierra savannah robin roger patty chad jasmine feline sander
    """)

# Capitalised words a teacher writes that happen to be first names but, alone,
# almost never mean a pupil: school subjects and languages.
NEVER_ALONE = _words("frans engels duits latijn grieks spaans turks arabisch ramadan nazi")

# A word before a name that says the name is a colleague or another adult, not a pupil.
COLLEAGUE_MARKERS = _words("""
    collega collega's juf juffrouw meester meneer mevrouw mr mw mevr dhr directeur
    directrice teamleider afdelingsleider mentor docent docente leraar lerares
    coördinator coordinator zorgcoördinator ib'er ib-er rector conrector concierge
    conciërge stagiair stagiaire lio invaller invalkracht oom tante opa oma
    colleague colleagues mrs ms miss sir teacher principal head headteacher
    """)

# A word before a name that says it is a pupil (then even a lower-case name counts).
PUPIL_MARKERS = _words("""
    leerling leerlinge scholier student studente kind kindje zoon dochter broer broertje
    zus zusje pupil child son daughter
    """)

# Words between a first name and a surname (Daan de Vries, Sanne van der Berg).
TUSSENVOEGSELS = _words("van de der den het 't ter ten te el al da di du le la von zu")

# Words after a first name at the start of a sentence that show the first word is
# not a subject (a name) but a verb or an adjective: "Ben je...", "Mark de vragen".
FUNCTION_WORDS = _words("""
    je jij u jullie we wij ik het de een dat dit die deze er ze zij hij jou mij me ons
    hun van voor in op met aan over bij niet ook nog wel toch maar en of dan als naar
    om tot uit zo zeker even eens graag mee allemaal iedereen collega's collega
    twee drie vier vijf zes zeven acht negen tien minuten minuut keer procent
    you i we the a an this that your my our it they he she to of for in on
    """)

# Subject pronouns: "Dan weet ik" puts the verb before them, so the first word was
# an adverb, not someone's name.
SUBJECTS = _words("ik je jij u we wij ze zij hij het men jullie i you we they he she")

# A full name followed by one of these is a school or a building, not a person.
INSTITUTIONS = _words("college lyceum school gymnasium scholengemeenschap campus atheneum academie")


@cache
def first_names() -> frozenset[str]:
    """Every first name the guard knows, case-folded."""
    names: set[str] = set(SUPPLEMENT)
    for locale in _LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in _ATTRIBUTES:
            names.update(_casefolded(getattr(provider, attribute, ())))
    # One-letter "names" and the subjects would only make noise.
    return frozenset(n for n in names if len(n) > 1)


def _casefolded(values: Iterable[object]) -> Iterable[str]:
    # Faker keeps some lists as tuples and some as {name: weight} mappings.
    return (str(v).casefold() for v in values)
