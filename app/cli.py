"""`orderpad`: the desktop client's command line (headless sub-commands for admins and scripts)."""

from __future__ import annotations

import argparse
import sys

from app import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="orderpad", description=__doc__)
    parser.add_argument("--version", action="version", version=f"orderpad {__version__}")
    parser.add_argument("--data-dir", help="where the local replica lives (default: per-user dir)")
    parser.add_subparsers(dest="command")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
