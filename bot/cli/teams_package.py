"""`dialoog teams-package`: build the Teams app package (a zip to upload to Teams)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TextIO

from bot.channels.teams import package
from bot.config import Settings

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "teams-package",
        help="build the Teams app package (zip) to upload to Teams",
        description=(
            "Build the Teams app package: manifest.json with the bot and its commands in "
            "English and Dutch, and the two icons. Upload the zip in Teams (Apps > Manage "
            "your apps > Upload an app) or in the Teams admin center."
        ),
    )
    parser.add_argument("--app-id", help="the bot's Microsoft app id (default: MICROSOFT_APP_ID)")
    parser.add_argument(
        "--output", "-o", default="dialoog-teams.zip", help="where to write the zip"
    )
    parser.add_argument("--publisher", default="dialoog", help="who publishes the app (max 32)")
    parser.add_argument(
        "--website-url",
        help="an https page about dialoog at your school (default: DIALOOG_PUBLIC_URL)",
    )
    parser.add_argument("--privacy-url", help="your privacy statement (default: the website)")
    parser.add_argument("--terms-url", help="your terms of use (default: the website)")
    parser.add_argument(
        "--thread-replies",
        action="store_true",
        help=(
            "ask for permission to read every message in the channels and chats where the "
            "app is installed, so replies in a round's thread count without @dialoog"
        ),
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    settings = Settings()
    app_id = (args.app_id or settings.microsoft_app_id or "").strip()
    if not app_id:
        print("dialoog teams-package: no app id: set MICROSOFT_APP_ID or give --app-id", file=err)
        return 2
    if not _GUID.match(app_id):
        print(f"dialoog teams-package: the app id must be a GUID, not {app_id!r}", file=err)
        return 2
    website = args.website_url or settings.public_url
    if not website or not website.lower().startswith("https://"):
        print(
            "dialoog teams-package: give --website-url, an https page about dialoog at your "
            "school (or set DIALOOG_PUBLIC_URL to the server's https address)",
            file=err,
        )
        return 2
    publisher = package.Publisher(
        name=args.publisher,
        website=website,
        privacy=args.privacy_url or website,
        terms=args.terms_url or website,
    )
    try:
        data = package.build(app_id, publisher, thread_replies=args.thread_replies)
    except package.InvalidPackage as error:
        print("dialoog teams-package: Teams would refuse this package:", file=err)
        for problem in error.problems:
            print(f"  {problem}", file=err)
        return 1
    target = Path(args.output)
    target.write_bytes(data)
    print(f"Wrote {target} for app id {app_id}.", file=out)
    print("Upload it in Teams: Apps > Manage your apps > Upload an app.", file=out)
    return 0
