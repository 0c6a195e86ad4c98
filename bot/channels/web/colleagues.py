"""The colleagues a person can act as in the local web chat."""

from __future__ import annotations

from bot.service import Person

# Stable ids: rounds, roles and private messages refer to them.
COLLEAGUES: tuple[Person, ...] = (
    Person("web:ann", "Ann"),
    Person("web:bob", "Bob"),
    Person("web:cas", "Cas"),
    Person("web:dee", "Dee"),
    Person("web:eva", "Eva"),
)
_BY_ID = {person.user_id: person for person in COLLEAGUES}


def colleague(user_id: str) -> Person | None:
    return _BY_ID.get(user_id)
