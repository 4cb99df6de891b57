"""Move the dates of an activities CSV (`examples/done.csv`) to a plan of yours.

    python -m examples.move_dates examples/done.csv --to 2027-03-01 > done.csv

Every `date` moves by the same number of days, so that the week of the file's first
date starts on --to (a Monday: the plan's start). The file is written for a plan that
starts on Monday 2027-01-04.
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date, timedelta


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=argparse.FileType(encoding="utf-8"))
    parser.add_argument("--to", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    args = parser.parse_args()
    rows = list(csv.DictReader(args.csv))
    first = min(date.fromisoformat(r["date"]) for r in rows)
    shift = args.to - (first - timedelta(days=first.weekday()))
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row | {"date": (date.fromisoformat(row["date"]) + shift).isoformat()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
