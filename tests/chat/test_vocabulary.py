"""One vocabulary of actions: every button and form a view can show is one that every
channel reads back and the chat layer acts on.

The views are driven for real (every built-in method played live and async through
the service, the planner, the pupil-name guard, the choice of methods) and what
they emit is rendered by each channel and read back as a click of that channel.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from bot.channels.slack import wire
from bot.channels.slack.blocks import render_message, render_modal
from bot.channels.teams.cards import DATA_KEY, read_submit, render
from bot.channels.web.requests import WebError, click_of
from bot.engine import commands as cmd
from bot.engine.errors import DomainError
from bot.engine.guide import RETURNS
from bot.engine.messages import Buttons, Form, Message, Recall, message_from_json
from bot.engine.simulate import fill_in
from bot.engine.state import NOT_YET_LIMIT
from bot.engine.view import REPORT, ROLES
from bot.engine.vocabulary import Action, action_of
from bot.runtime import Runtime
from bot.service import Person, Place
from storage.models import OutboxMessage
from tests.scheduler.conftest import fields

PLACE = Place("web", "local", "vocabulary", "vocabulary")
ANN = Person("web:ann", "Ann")
PEOPLE = [ANN, Person("web:bob", "Bob"), Person("web:cas", "Cas"), Person("web:dirk", "Dirk")]

Shown = tuple[Message, str | None]


def _outbox(runtime: Runtime) -> list[Shown]:
    with runtime.sessions() as session:
        rows = session.scalars(select(OutboxMessage)).all()
        return [(message_from_json(row.payload), row.round_id) for row in rows]


def _play(runtime: Runtime, protocol: str, mode: str, channel: str = "") -> Iterator[Shown]:
    """Every card, notice and private form of one round, from start to finish."""
    service, chat = runtime.service, runtime.chat
    place = Place("web", "local", channel or f"{protocol}-{mode}")
    started = chat.command(place, ANN, f"start {protocol} {mode}")
    round_id = started.round_id
    assert round_id is not None, started.messages
    for person in PEOPLE[1:]:
        chat.click(place, person, Action.JOIN, "", {}, round_id=round_id)
    for _ in range(60):
        state = service.round(round_id)
        assert state is not None
        if not state.active:
            return
        for person in PEOPLE:
            # The roles form while it gathers, the report on earlier actions at the start,
            # the facilitator's form to return a question as advice in disguise.
            running = ("", REPORT, RETURNS)
            for focus in ("", ROLES, REPORT) if state.status == "gathering" else running:
                panel = service.panel(round_id, person.user_id, focus)
                if panel is not None:
                    yield panel, round_id
        if state.status == "running" and mode == "live":
            # A paused round's card offers to go on.
            service.handle(round_id, cmd.Pause(user=ANN.user_id))
            yield from ((m, round_id) for m in [service.card(round_id)] if m is not None)
            service.handle(round_id, cmd.Resume(user=ANN.user_id))
        for action in state.open_actions:
            # Reported "not yet", round after round: at last its owner is asked to settle it.
            if action.owner in state.participants and action.action_id not in state.reports:
                report = cmd.ReportAction(
                    user=action.owner, action_id=action.action_id, status="not_yet"
                )
                with contextlib.suppress(DomainError):
                    service.handle(round_id, report)
        for command in fill_in(state):
            with contextlib.suppress(DomainError):
                service.handle(round_id, command)
        if state.status == "gathering":
            _volunteer(runtime, round_id)
        advanced = service.handle(round_id, cmd.Advance(user=ANN.user_id))
        if advanced.error_code == "role_missing":
            _assign(runtime, round_id)
            advanced = service.handle(round_id, cmd.Advance(user=ANN.user_id))
        # An async step may close by itself once everyone has done their part.
        assert advanced.accepted or advanced.error_code == "round_over", advanced.error_code
    raise AssertionError(f"{protocol} {mode} did not finish")


def _volunteer(runtime: Runtime, round_id: str) -> None:
    """Someone takes each role that needs a volunteer before the first step."""
    service = runtime.service
    state = service.round(round_id)
    assert state is not None
    for role in state.protocol.roles:
        if role.assign != "volunteer" or not role.required or state.holders(role.id):
            continue
        taken = {u for holders in state.roles.values() for u in holders}
        free = [u for u in state.participants if u not in taken and u != ANN.user_id]
        service.handle(round_id, cmd.Volunteer(user=free[0], role=role.id))
        state = service.round(round_id) or state


def _assign(runtime: Runtime, round_id: str) -> None:
    """The facilitator gives each required role nobody holds to someone free."""
    service = runtime.service
    state = service.round(round_id)
    assert state is not None
    for role in state.protocol.roles:
        if role.required and not state.holders(role.id):
            taken = {u for holders in state.roles.values() for u in holders}
            free = [u for u in state.participants if u not in taken and u != ANN.user_id]
            to = (free or [u for u in state.participants if u != ANN.user_id])[0]
            service.handle(round_id, cmd.AssignRole(user=ANN.user_id, role=role.id, to=to))
            state = service.round(round_id) or state


def _emitted(runtime: Runtime) -> list[Shown]:
    chat = runtime.chat
    shown: list[Shown] = []
    # The choice of methods.
    shown += [(m, None) for m in chat.command(PLACE, ANN, "start").messages]
    # The planner: its form, then the overview of a plan, active and paused.
    first = chat.command(PLACE, ANN, "plan")
    assert first.form is not None
    shown.append((first.form, None))
    assert chat.click(PLACE, ANN, Action.PLAN_CREATE, "", fields(), round_id=None).accepted
    overview = chat.command(PLACE, ANN, "plan").messages
    shown += [(m, None) for m in overview]
    pause = next(b for m in overview for b in _buttons(m) if b.action == Action.PLAN_PAUSE)
    chat.click(PLACE, ANN, Action.PLAN_PAUSE, pause.value, {}, round_id=None)
    shown += [(m, None) for m in chat.command(PLACE, ANN, "plan").messages]
    # Every built-in method (each step kind), and an async round for its own buttons.
    for protocol in runtime.library:
        shown += list(_play(runtime, protocol.id, protocol.modes[0]))
    shown += list(_play(runtime, "incident", "async"))
    # Rounds after one that left action points: reporting on them, then settling them.
    for _ in range(NOT_YET_LIMIT + 1):
        shown += list(_play(runtime, "incident", "live", "again"))
    # The pupil-name guard's question and its form.
    shown += _guard(runtime)
    # Two rounds in one channel: `stop` asks which one.
    two = Place("web", "local", "two-rounds")
    chat.command(two, ANN, "start gossip async")
    chat.command(two, PEOPLE[1], "start incident")
    shown += [(m, None) for m in chat.command(two, PEOPLE[2], "stop").messages]
    return shown + _outbox(runtime)


def _guard(runtime: Runtime) -> list[Shown]:
    service, chat = runtime.service, runtime.chat
    place = Place("web", "local", "guard")
    round_id = chat.command(place, ANN, "start incident").round_id
    assert round_id is not None
    for person in PEOPLE[1:]:
        chat.click(place, person, Action.JOIN, "", {}, round_id=round_id)
    for _ in range(5):
        state = service.round(round_id)
        assert (state is not None and state.step is not None) or state is not None
        if state.step is not None and state.step.id == "propose":
            break
        with contextlib.suppress(DomainError):
            for command in fill_in(state):
                service.handle(round_id, command)
        service.handle(round_id, cmd.Advance(user=ANN.user_id))
    asked = chat.click(
        place,
        PEOPLE[1],
        Action.CONTRIBUTE,
        "propose",
        {"text": "Sem Bakker uit 3B huilde in de les."},
        round_id=round_id,
    )
    (question,) = asked.messages
    edit = next(b for b in _buttons(question) if b.action == Action.GUARD_EDIT)
    form = chat.click(place, PEOPLE[1], Action.GUARD_EDIT, edit.value, {}, round_id=round_id).form
    assert form is not None
    return [(question, round_id), (form, round_id)]


def _buttons(message: Message) -> list[Any]:
    return [b for block in message.blocks if isinstance(block, Buttons) for b in block.buttons]


def _forms(message: Message) -> list[Form]:
    return [block for block in message.blocks if isinstance(block, Form)]


def test_every_button_and_form_any_view_shows_is_accepted_by_every_channel(
    runtime: Runtime,
) -> None:
    emitted = _emitted(runtime)
    _every_action_is_shown(emitted)
    _recalled_actions_are_known(emitted)
    _the_web_chat_accepts(emitted)
    _slack_reads_back(emitted)
    _teams_reads_back(emitted)


def _recalled_actions_are_known(emitted: list[Shown]) -> None:
    """A recall's "read it all" link carries an action too (Slack shows it as a button)."""
    for message, _ in emitted:
        for block in message.blocks:
            if isinstance(block, Recall) and block.open_action:
                assert action_of(block.open_action) is not None, block.open_action


def _every_action_is_shown(emitted: list[Shown]) -> None:
    shown = {b.action for m, _ in emitted for b in _buttons(m)}
    shown |= {f.action for m, _ in emitted for f in _forms(m)}
    assert shown == set(Action), "a name no view uses, or a view outside the vocabulary"


def _the_web_chat_accepts(emitted: list[Shown]) -> None:
    for message, round_id in emitted:
        for action, value in [(b.action, b.value) for b in _buttons(message)] + [
            (f.action, f.value) for f in _forms(message)
        ]:
            body = {"as": ANN.user_id, "action": str(action), "value": value, "round_id": round_id}
            try:
                click = click_of(body)
            except WebError as error:
                raise AssertionError(f"the web chat refuses {action}: {error.code}") from None
            assert action_of(click.action) == action


def _slack_reads_back(emitted: list[Shown]) -> None:
    for message, round_id in emitted:
        for chunk in render_message(message, round_id=round_id):
            for block in chunk.blocks:
                for element in block.get("elements", []) if block["type"] == "actions" else []:
                    name, read_round = wire.read_action(element["action_id"], block["block_id"])
                    assert action_of(name) is not None, name
                    assert read_round == round_id
        if _forms(message):
            view = render_modal(
                message, round_id=round_id or wire.NO_ROUND, channel="C1", language="nl"
            )
            meta = wire.ModalMeta.decode(view["private_metadata"])
            assert [f.action for f in meta.forms] == [f.action for f in _forms(message)]
            assert all(action_of(f.action) is not None for f in meta.forms)


def _teams_reads_back(emitted: list[Shown]) -> None:
    for message, round_id in emitted:
        expected = [b.action for b in _buttons(message)] + [f.action for f in _forms(message)]
        read = []
        for card in render(message, round_id=round_id, language="nl"):
            for data in _submits(card):
                submit = read_submit({DATA_KEY: data})
                assert submit is not None and submit.round_id == round_id
                read.append(action_of(submit.action))
        assert read == expected


def _submits(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "Action.Submit":
            yield node["data"][DATA_KEY]
        for value in node.values():
            yield from _submits(value)
    elif isinstance(node, list):
        for value in node:
            yield from _submits(value)
