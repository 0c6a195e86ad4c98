"""`dialoog serve`: migrate the database if needed and run the server."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from aiohttp import web

from bot.config import ConfigError, Settings
from protocols.problems import ProtocolError
from storage import DatabaseUnavailable, InvalidDatabaseUrl, WeakSecret


def register(groups: Any) -> None:
    parser = groups.add_parser(
        "serve", help="run the bot (every channel whose credentials are set)"
    )
    parser.set_defaults(run=run)


def run(_args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Imported here so `dialoog protocols ...` stays quick.
    from bot.access_log import AccessLogger
    from bot.runtime import build_runtime
    from bot.server import build_app

    settings = Settings()
    try:
        runtime = build_runtime(settings)
    except (DatabaseUnavailable, InvalidDatabaseUrl, WeakSecret) as error:
        print(f"dialoog: {error}", file=sys.stderr)
        return 1
    except ProtocolError as error:
        print(f"dialoog: the school's protocols have problems:\n{error}", file=sys.stderr)
        return 1
    try:
        app = build_app(runtime)
    except ConfigError as error:
        print(f"dialoog: {error}", file=sys.stderr)
        return 1
    print(f"dialoog is running at http://{settings.host}:{settings.port}", flush=True)
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        print=None,
        access_log_class=AccessLogger,
        access_log=logging.getLogger("dialoog.access"),
    )
    return 0
