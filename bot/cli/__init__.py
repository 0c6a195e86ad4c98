"""The `dialoog` command. Each command group lives in a module of its own."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import db, privacy, protocols, serve, teams_package
from bot.config import ConfigError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dialoog",
        description="A chat facilitator for teachers' peer learning.",
    )
    groups = parser.add_subparsers(dest="group", required=True, metavar="COMMAND")
    protocols.register(groups)
    db.register(groups)
    privacy.register(groups)
    serve.register(groups)
    teams_package.register(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except ConfigError as error:
        # A setting that cannot work (read by any command): one clear line, no traceback.
        print(f"dialoog: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `dialoog protocols list | head`: the reader left; that is not an error.
        sys.stderr.close()
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
