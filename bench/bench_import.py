"""DUO school import (onboarding): a clean file of 497 schools, dry run and real run, timed.

    DEBUG=1 .venv/bin/python bench/bench_import.py [--rounds 5] [--schools 497]

The target is a real run of the 497-school file in under 10 s. The test suite checks
what such a run writes (tests/onboarding/test_import.py); the time is measured here, by hand,
never in a timed test. Each real run is rolled back, so every round imports into an empty table.
The rows are the test's own (`duo_rows`: the same file the tests import).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import bootstrap  # noqa: E402

DB_FILE = Path(tempfile.mkdtemp(prefix="tw-bench-import-")) / "bench.sqlite3"


class _RolledBack(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--schools", type=int, default=497)
    args = parser.parse_args()
    bootstrap(f"sqlite:///{DB_FILE}")

    from django.core.management import call_command
    from django.db import connection, transaction

    from bookings.models import School
    from inventory.models import Depot, Wagon
    from programmes.models import Programme
    from tests.onboarding.test_import import duo_rows
    from tests.onboarding.test_import import run as import_rows

    call_command("migrate", verbosity=0)
    programme = Programme.objects.create(name="Bench import", project_code="STO00001")
    depot = Depot.objects.create(name="Bench depot", programme=programme)
    Wagon.objects.create(
        name="Bench wagon",
        plate="BI-01-NC",
        depot=depot,
        depot_address="Bench",
        depot_lat=51.9,
        depot_lon=4.5,
    )
    rows = duo_rows(args.schools, broken=False)

    def run(dry_run: bool) -> float:
        started = time.perf_counter()
        result = import_rows(rows, dry_run=dry_run, programme=programme, depot=depot)
        elapsed = time.perf_counter() - started
        if result.has_validation_errors() or result.has_errors():
            raise SystemExit("the bench file was refused: the bench is out of date")
        if not dry_run and School.objects.count() != args.schools:
            raise SystemExit("the real run did not write every school")
        return elapsed

    def real_run() -> float:
        try:
            with transaction.atomic():
                elapsed = run(dry_run=False)
                raise _RolledBack
        except _RolledBack:
            return elapsed

    print(f"{connection.vendor}, {args.schools} schools, {args.rounds} rounds")
    for label, measure in (("dry run", lambda: run(dry_run=True)), ("real run", real_run)):
        times = [measure() for _ in range(args.rounds)]
        print(
            f"{label:9s} median {statistics.median(times):6.2f} s   "
            f"max {max(times):6.2f} s   (target for the real run: < 10 s)"
        )


if __name__ == "__main__":
    main()
