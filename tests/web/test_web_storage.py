"""The web chat's timeline in the database: revisions in order, updates in place, privacy."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from storage.web_chat import (
    WebPost,
    post_web_message,
    update_web_message,
    web_revision,
    web_timeline,
)

NOW = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)


def post(
    session: Session, text: str, *, audience: str | None = None, outbox_id: int | None = None
) -> int:
    message = WebPost(
        channel="team", payload={"text": text}, audience=audience, outbox_id=outbox_id
    )
    return post_web_message(session, message, now=NOW).id


def test_each_change_takes_the_channels_next_revision(session: Session) -> None:
    with session.begin():
        assert web_revision(session, "team") == 0
        first = post(session, "een")
        second = post(session, "twee")
        other = post_web_message(session, WebPost(channel="other", payload={}), now=NOW)
        update_web_message(session, first, {"text": "een, bijgewerkt"}, now=NOW)
    assert web_revision(session, "team") == 3
    assert web_revision(session, "other") == other.revision == 1
    rows = web_timeline(session, "team", viewer="web:ann")
    assert [(r.id, r.revision, r.payload["text"]) for r in rows] == [
        (first, 3, "een, bijgewerkt"),
        (second, 2, "twee"),
    ]


def test_after_a_revision_only_what_changed_since_comes_back(session: Session) -> None:
    with session.begin():
        first = post(session, "een")
        post(session, "twee")
    with session.begin():
        update_web_message(session, first, {"text": "een!"}, now=NOW)
    rows = web_timeline(session, "team", viewer="web:ann", after=2)
    assert [r.payload["text"] for r in rows] == ["een!"]


def test_a_private_message_is_in_its_colleagues_timeline_only(session: Session) -> None:
    with session.begin():
        post(session, "voor iedereen")
        post(session, "voor Ann", audience="web:ann")
    ann = [r.payload["text"] for r in web_timeline(session, "team", viewer="web:ann")]
    bob = [r.payload["text"] for r in web_timeline(session, "team", viewer="web:bob")]
    assert ann == ["voor iedereen", "voor Ann"]
    assert bob == ["voor iedereen"]


def test_a_second_delivery_of_one_outbox_message_posts_once(session: Session) -> None:
    with session.begin():
        first = post(session, "kaart", outbox_id=41)
        again = post(session, "kaart", outbox_id=41)
    assert first == again
    assert len(web_timeline(session, "team", viewer="web:ann")) == 1


def test_updating_a_message_that_is_gone_says_so(session: Session) -> None:
    with session.begin():
        assert update_web_message(session, 999, {"text": "x"}, now=NOW) is None


def test_the_newest_messages_come_back_when_there_are_many(session: Session) -> None:
    with session.begin():
        for n in range(12):
            post(session, str(n))
    rows = web_timeline(session, "team", viewer="web:ann", limit=5)
    assert [r.payload["text"] for r in rows] == ["7", "8", "9", "10", "11"]


def test_writers_at_the_same_time_never_share_a_revision(
    session_factory: sessionmaker[Session],
) -> None:
    start = threading.Barrier(4)
    errors: list[Exception] = []

    def writer(n: int) -> None:
        start.wait()
        try:
            for i in range(10):
                with session_factory() as s, s.begin():
                    post(s, f"{n}-{i}")
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with session_factory() as s:
        revisions = [r.revision for r in web_timeline(s, "team", viewer="web:ann")]
        assert sorted(revisions) == list(range(1, 41))
        assert web_revision(s, "team") == 40
