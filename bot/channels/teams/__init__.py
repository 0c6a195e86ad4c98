"""Microsoft Teams through the Bot Framework (botbuilder).

Every Bot Framework type stays inside this package, so that a move to Microsoft's
365 Agents SDK touches this folder alone. botbuilder itself is imported only when
Teams is switched on.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.channels.teams.settings import teams_config

if TYPE_CHECKING:
    from aiohttp import web

    from bot.runtime import Runtime
    from bot.service import Sender

log = logging.getLogger(__name__)


def setup(runtime: Runtime, app: web.Application) -> Sender | None:
    """Add POST /api/messages and return the Teams sender, or None when switched off.

    On when MICROSOFT_APP_ID is set; or, for local tools and tests, when
    DIALOOG_TEAMS_LOCAL=on, without authentication and from loopback only.
    """
    config = teams_config(runtime.settings)
    if not config.enabled:
        log.info(
            "Teams: off (MICROSOFT_APP_ID is not set; DIALOOG_TEAMS_LOCAL=on serves "
            "local tools without it)"
        )
        return None
    missing = config.missing()
    if missing:
        log.error("Teams: off: MICROSOFT_APP_ID is set, but not %s", ", ".join(missing))
        return None
    from bot.channels.teams.channel import start

    return start(runtime, app, config)
