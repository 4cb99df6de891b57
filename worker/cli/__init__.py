"""The `trainplan` command line: one argparse parser, one subcommand per module.

Each subcommand module exposes `register(subparsers)`, which adds its parser and sets
`func(args) -> int` on it; `main` dispatches and returns the exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    # Imported when the parser is built, not with the package: importing one command's
    # module (tests and benches import worker.cli.stack) does not load all the others.
    from worker.cli import keys, plan, replan, reproduce, stack

    parser = argparse.ArgumentParser(
        prog="trainplan",
        description="Globally optimal endurance training plans (OR-Tools CP-SAT).",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for command in (plan, replan, stack, reproduce, keys):
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        print("trainplan: interrupted", file=sys.stderr)
        return 130
    return code
