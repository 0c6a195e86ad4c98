"""Every error dialoog raises on purpose has one root, in one of the design's families."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import bot
from bot.chat.edge import BadJson
from bot.engine.actions import MalformedAction
from bot.engine.errors import DomainError
from bot.errors import Ambiguous, DialoogError, MalformedInput, Permanent, Retryable
from bot.i18n import LANGUAGES, translate
from bot.scheduler.plan_rules import PlanProblem
from bot.scheduler.texts import TEXTS
from bot.service import AmbiguousSendError, PermanentSendError, RetryableSendError


def _exception_classes() -> list[type[BaseException]]:
    found = []
    for module_info in pkgutil.walk_packages(bot.__path__, "bot."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_every_exception_class_of_the_bot_has_the_dialoog_root() -> None:
    classes = _exception_classes()
    assert len(classes) > 20  # the walk found the bot's modules
    rootless = [
        f"{c.__module__}.{c.__qualname__}" for c in classes if not issubclass(c, DialoogError)
    ]
    assert rootless == []


@pytest.mark.parametrize(
    "name",
    [
        "bot.chat.edge.BadJson",
        "bot.engine.actions.MalformedAction",
        "bot.channels.slack.wire.WireError",
        "bot.channels.teams.cards.MalformedSubmit",
        "bot.channels.teams.inbound.MalformedActivity",
        "bot.channels.teams.icons.NotAPng",
    ],
)
def test_malformed_input_of_every_kind_is_malformed_input(name: str) -> None:
    module, _, attribute = name.rpartition(".")
    kind = getattr(importlib.import_module(module), attribute)
    assert issubclass(kind, MalformedInput)
    # The code that has always caught ValueError still does.
    assert issubclass(kind, ValueError)


def test_one_handler_catches_every_malformed_input() -> None:
    for error in (BadJson("not JSON"), MalformedAction("vote: KeyError")):
        with pytest.raises(MalformedInput):
            raise error


def test_send_errors_are_platform_errors_of_their_kind() -> None:
    retryable = RetryableSendError("slack:ratelimited", 3.0)
    assert isinstance(retryable, Retryable)
    assert (retryable.code, retryable.retry_after) == ("slack:ratelimited", 3.0)
    assert isinstance(PermanentSendError("slack:channel_not_found"), Permanent)
    assert isinstance(AmbiguousSendError("slack:timeout"), Ambiguous)
    assert not isinstance(PermanentSendError("x"), Retryable)


def test_a_refused_plan_is_a_domain_error_with_the_same_message_as_before() -> None:
    problem = PlanProblem("too_many", max=20)
    assert isinstance(problem, DomainError)
    for language in LANGUAGES:
        expected = translate(TEXTS, "error.too_many", language, max=20, cmd="/dialoog")
        assert problem.message(language, cmd="/dialoog") == expected


def test_a_plan_problem_resolves_texts_that_depend_on_the_language() -> None:
    problem = PlanProblem("bad_choice", field=lambda language: f"veld-{language}")
    assert "veld-en" in problem.message("en", cmd="/dialoog")


def test_a_domain_error_without_a_message_is_a_bug_found_at_once() -> None:
    with pytest.raises(KeyError):
        DomainError("no_such_code")
    with pytest.raises(KeyError):
        PlanProblem("no_round")  # the engine's code, not the planner's
