"""Write a FIT activity file as a watch would (fit-tool, a development dependency):
a steady run with a heart rate that rises and falls on a 5-minute wave.

    python -m examples.make_fit --start 2027-01-17T07:00:00+00:00 --minutes 80 \
        --speed 3.2 --hr 138 --out sunday.fit

`examples/easy-run.fit` was written by `python -m examples.make_fit --start
2027-01-17T07:00:00+00:00 --out examples/easy-run.fit` (the defaults below).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from tests.activity_files import fit_bytes, steady, wavy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=datetime.fromisoformat, required=True, help="ISO time")
    parser.add_argument("--minutes", type=int, default=80)
    parser.add_argument("--speed", type=float, default=3.2, help="m/s (3.2: 5:12 per km)")
    parser.add_argument("--hr", type=float, default=138, help="average heart rate")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    samples = wavy(steady(args.minutes * 60, args.speed, hr=args.hr, step_s=5), hr_amp=8)
    args.out.write_bytes(fit_bytes(samples, args.start))
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
