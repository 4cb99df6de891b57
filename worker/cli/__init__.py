"""The `trainplan` command line: one argparse parser, one subcommand per module.

Each subcommand module exposes `register(subparsers)`, which adds its parser and sets
`func(args) -> int` on it; `main` dispatches and returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Optional subcommands written in parallel by others; absent modules are skipped.
_OPTIONAL_COMMANDS = (
    "worker.cli.stack",
    "worker.cli.reproduce",
    "worker.cli.keys",
    "worker.cli.replan",
)


def build_parser() -> argparse.ArgumentParser:
    from worker.cli import plan

    parser = argparse.ArgumentParser(
        prog="trainplan",
        description="Globally optimal endurance training plans (OR-Tools CP-SAT).",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    plan.register(subparsers)
    for name in _OPTIONAL_COMMANDS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a missing dependency inside the module is a real error
                raise
            continue
        module.register(subparsers)
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
