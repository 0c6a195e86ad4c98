"""The roots of every error dialoog raises on purpose.

```
DialoogError
├── DomainError            refused: nothing changed; the person is told why, in their
│   │                      language, from a message key (bot/engine/errors.py)
│   └── PlanProblem        a plan the scheduler refuses (bot/scheduler/plan_rules.py)
├── PlatformError          Slack, Teams or the network failed us; `code` is short
│   ├── Retryable          rate limited, timed out before sending, briefly down
│   ├── Permanent          channel gone, token revoked, not allowed, too large
│   └── Ambiguous          the request went out, no answer came: it may have arrived
├── MalformedInput         a payload none of our messages produces (tampered, outdated,
│                          broken): BadJson, MalformedAction, WireError, MalformedSubmit,
│                          MalformedActivity, NotAPng; the message is a short reason
├── ConfigError            a setting that cannot work (bot/config.py)
└── WebError, InvalidPackage, SubjectUnclear: an HTTP refusal of the web chat, a Teams
                           package that would not pass, a person the CLI cannot find
```

The send errors of the dispatcher (`SendError`: `RetryableSendError`, ...) are
platform errors of the matching kind; `tests/test_error_roots.py` checks that
every exception class in `bot/` has this root.

`DomainError` lives in the engine (it is pure and the engine raises most of them);
the rest live here. `storage/` and `protocols/` import nothing of `bot/`, so their
errors (`StorageError`, `ProtocolError`) keep roots of their own; the service and
the CLI translate them where they meet.
"""

from __future__ import annotations

__all__ = [
    "Ambiguous",
    "DialoogError",
    "MalformedInput",
    "Permanent",
    "PlatformError",
    "Retryable",
]


class DialoogError(Exception):
    """Every error dialoog raises on purpose (not a bug)."""


class PlatformError(DialoogError):
    """A platform refused or failed us. `code` is short and never holds content."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Retryable(PlatformError):
    """Trying again later may work. `retry_after` is what the platform asked, in seconds."""

    def __init__(self, code: str, retry_after: float | None = None) -> None:
        super().__init__(code)
        self.retry_after = retry_after


class Permanent(PlatformError):
    """Trying again will not help: the channel is gone, the token revoked, not allowed."""


class Ambiguous(PlatformError):
    """The request went out but no answer came: it may have arrived."""


class MalformedInput(DialoogError, ValueError):
    """Input that none of our messages, cards or forms produces.

    A ValueError too, so the code that has always caught ValueError still does.
    The message is a short reason (a field, a kind), never what someone wrote.
    """
