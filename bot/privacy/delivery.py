"""A person's export sent to them privately: a Slack DM, their Teams personal chat,
their own view of the web chat."""

from __future__ import annotations

from dataclasses import dataclass

import storage
from bot.engine.messages import message_to_json
from bot.i18n import Language, language_of
from bot.privacy import audit, export
from bot.privacy.subject import Subject
from bot.service.places import Person, Place
from bot.service.rounds import RoundService


@dataclass(frozen=True)
class Sent:
    language: Language
    messages: int  # 0: nothing is stored about the person here


def send_export(service: RoundService, place: Place, person: Person) -> Sent:
    """Queue the person's export in the outbox for them alone; nothing is answered
    in the channel. Recorded in the audit log as the person's own request."""
    now = service.clock.now()
    with service.sessions() as session, session.begin():
        team = storage.find_team(session, place.platform, place.workspace, place.channel)
        if team is None:
            return Sent(service.default_language, 0)
        language = language_of(team.language)
        tenant = session.get(storage.Tenant, team.tenant_id)
        assert tenant is not None  # a team's tenant, by foreign key
        subject = Subject(place.platform, place.workspace, person.user_id)
        data = export.collect(session, subject, tenant, now)
        if data.empty:
            return Sent(language, 0)
        messages = export.to_messages(data, language)
        storage.enqueue(
            session,
            [
                storage.OutgoingMessage(
                    team_id=team.id,
                    platform=place.platform,
                    destination={"round": None, "user": person.user_id},
                    payload=message_to_json(message),
                )
                for message in messages
            ],
            now=now,
        )
        audit.exported(
            session, f"{place.platform}:{place.workspace}:{person.user_id}", subject, now
        )
    if service.after_commit is not None:
        service.after_commit()
    return Sent(language, len(messages))
