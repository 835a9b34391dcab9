"""Issue 15 at national scale: every row of the issue's table, today (an old commit) against now,
in one run, each against a bare `values()` + `JsonResponse` of the same rows.

    DEBUG=1 .venv/bin/python bench/bench_scale.py [--old /tmp/tw15_old] [--reach-visits 200000]

`--old` is a checkout of the commit before issue 15 (`git worktree add /tmp/tw15_old a7a2782`);
without it only the new figures are printed. Each tree is measured in its own subprocess
(`--measure ROOT`) on its own throwaway SQLite database filled with the same generated rows;
`/me` with and without persistent connections needs PostgreSQL (`--pg-url`, default
postgres://postgres@127.0.0.1:5432/tw_w15_bench, skipped when unreachable). `--parts` picks
rows (lists, reach, pdf, confirm, planner, me): `--parts lists,pdf --reach-visits 0` is a short
run of the list and PDF rows. Those rows are timed in the measuring process's CPU time (the
request and its bare baseline both run in it), wall-clock time shown beside it: on the shared
machine wall-clock ratios moved by 2x between runs with the other processes' load.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
NEW_ROOT = HERE.parent.parent


# --------------------------------------------------------------------------------- measuring


def _median(fn, rounds: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _paired(api, bare, rounds: int) -> dict:
    """Medians of `api` and `bare` timed in turns, in this process's CPU time: both sides run
    here (the test client, SQLite in-process), so CPU time is what they take on an idle
    machine, while wall-clock time on the shared 2-core machine also counts the waits for other
    processes (which swung a ratio by 2x between runs). `wall` holds the same two medians in
    wall-clock time, for comparison."""
    api(), bare()  # warm up
    times: dict[str, list[float]] = {"api": [], "bare": []}
    wall: dict[str, list[float]] = {"api": [], "bare": []}
    for _ in range(rounds):
        for name, fn in (("api", api), ("bare", bare)):
            started, cpu = time.perf_counter(), time.process_time()
            fn()
            times[name].append(time.process_time() - cpu)
            wall[name].append(time.perf_counter() - started)
    return {
        **{name: statistics.median(values) for name, values in times.items()},
        "wall": {name: statistics.median(values) for name, values in wall.items()},
    }


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _setup_django(root: Path, database_url: str, extra_env: dict) -> None:
    sys.path.insert(0, str(root))
    os.chdir(root)
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings"
    os.environ.setdefault("DEBUG", "1")
    os.environ["TW_ALLOW_DEV_SECRET"] = "1"
    os.environ["TW_WRITE_RATE_STAFF"] = "1000000/hour"
    os.environ["TW_WRITE_RATE_SCHOOL"] = "1000000/hour"
    os.environ.update(extra_env)
    import django

    django.setup()


def _build(reach_visits: int) -> dict:
    """Demo data plus generated rows: 1,000 workshops, items, schools; 12,000 bookings on the
    lists' depot (some at risk); `reach_visits` visits that took place for the reach report."""
    import datetime as dt
    import random

    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import transaction

    import bookings.demo
    import inventory.demo
    from bookings.models import (
        Booking,
        BookingSession,
        KitReservation,
        KitRule,
        School,
        Workshop,
    )
    from inventory.models import Depot, Item, KitType, Wagon

    call_command("migrate", verbosity=0)
    try:  # a checkout with programmes (issue 14) loads them first
        import programmes.demo
    except ImportError:
        pass
    else:
        programmes.demo.load()
    inventory.demo.load()
    bookings.demo.load()
    rng = random.Random(15)
    with transaction.atomic():
        depot = Depot.objects.order_by("id").first()
        # The depot's programme owns the bench rows (issue 14); an old checkout has none.
        owner = {"programme_id": depot.programme_id} if hasattr(depot, "programme_id") else {}
        wagons = list(Wagon.objects.filter(depot=depot, active=True).order_by("id"))
        n = 0
        while len(wagons) < 4:
            base = wagons[0]
            n += 1
            wagons.append(
                Wagon.objects.create(
                    name=f"Bench wagen {n}",
                    plate=f"BW-{n:03d}-X",
                    depot=depot,
                    depot_address=base.depot_address,
                    depot_lat=base.depot_lat,
                    depot_lon=base.depot_lon,
                    max_visits_per_day=base.max_visits_per_day,
                    work_start=base.work_start,
                    work_end=base.work_end,
                )
            )
        kit_types = KitType.objects.bulk_create(
            KitType(name=f"Bench kit {i}", spare_units=i % 3) for i in range(40)
        )
        Item.objects.bulk_create(
            Item(asset_tag=f"BENCH-{i:05d}", kit_type=kit_types[i % 40], depot=depot)
            for i in range(1000)
        )
        types = ["po", "so", "vmbo-bb", "vmbo-kb", "pro", "havo", "vwo"]
        workshops = Workshop.objects.bulk_create(
            Workshop(
                name=f"Bench workshop {i}",
                duration_minutes=60,
                max_pupils=32,
                school_types=rng.sample(types, 2),
                **owner,
            )
            for i in range(1000)
        )
        KitRule.objects.bulk_create(
            KitRule(workshop=w, kit_type=kit_types[(i + k) % 40], per_pupils=4)
            for i, w in enumerate(workshops)
            for k in range(2)
        )
        schools = School.objects.bulk_create(
            School(
                name=f"Bench school {i}",
                brin=f"{10 + i % 90:02d}{chr(65 + i // 90 % 26)}{chr(65 + i % 26)}",
                school_types=[types[i % 7]],
                address="Straat 1",
                postcode="3061 AA",
                city="Rotterdam",
                lat=51.9 + (i % 50) / 500,
                lon=4.45 + (i % 40) / 400,
                holiday_region=["noord", "midden", "zuid"][i % 3],
                depot=depot,
                **owner,
            )
            for i in range(1000)
        )
        start = dt.date(2027, 2, 1)
        statuses = ["confirmed", "packed", "requested", "completed", "cancelled"]
        listed = Booking.objects.bulk_create(
            Booking(
                reference=f"BENCH-L-{i:06d}",
                school=schools[i % 1000],
                wagon=wagons[i % 4] if i % 5 else None,
                date=start + dt.timedelta(days=i % 120),
                status=statuses[i % 5],
                contact_name="x",
                contact_email="x@school.nl",
            )
            for i in range(12000)
        )
        BookingSession.objects.bulk_create(
            BookingSession(
                booking=b,
                workshop=workshops[(i * 7 + k) % 1000],
                group_label=f"groep {k}",
                school_type=types[(i + k) % 7],
                year=6,
                pupils=12 + (i + k) % 15,
                start_time=dt.time(9 + 2 * k, 0),
            )
            for i, b in enumerate(listed)
            for k in range(2)
        )
        KitReservation.objects.bulk_create(
            KitReservation(
                booking=b,
                kit_type=kit_types[i % 40],
                depot=depot,
                date=b.date,
                quantity=3 + i % 5,
            )
            for i, b in enumerate(listed)
            if b.status in ("confirmed", "packed")
        )
        reach = Booking.objects.bulk_create(
            (
                Booking(
                    reference=f"BENCH-R-{i:06d}",
                    school=schools[i % 1000],
                    wagon=wagons[i % 4],
                    date=dt.date(2025, 8, 1) + dt.timedelta(days=i % 365),
                    status=["completed", "returned", "on_site", "cancelled"][i % 4],
                    contact_name="x",
                    contact_email="x@school.nl",
                )
                for i in range(reach_visits)
            ),
            batch_size=5000,
        )
        BookingSession.objects.bulk_create(
            (
                BookingSession(
                    booking=b,
                    workshop=workshops[i % 1000],
                    group_label="groep 7",
                    school_type=types[i % 7],
                    year=7,
                    pupils=20 + i % 10,
                    start_time=dt.time(9, 0),
                )
                for i, b in enumerate(reach)
            ),
            batch_size=5000,
        )
        user = User.objects.create_user("bench-coord", password="x")
        user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
        if owner:
            depot.programme.members.add(user)
    return {"depot": depot.pk, "wagons": [w.pk for w in wagons]}


def _client():
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="bench-coord"))
    return client


def _lists(client, rounds: int) -> dict:
    import datetime as dt

    from django.http import JsonResponse

    from bookings.models import Booking, School, Workshop
    from inventory.models import Item

    def bare(model, n, *conditions, **filters):
        def run():
            rows = list(model.objects.filter(*conditions, **filters).values()[:n])
            return JsonResponse({"results": rows}).content

        return run

    def api(url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response.content

        return run

    try:  # the SQL form of the filter (issue 15); an old checkout filtered in Python
        from bookings.filters import school_types_contains
    except ImportError:  # SQLite has no JSON containment lookup: the same rows by id
        ids = [w.pk for w in Workshop.objects.all() if "po" in (w.school_types or [])]
        school_type = bare(Workshop, 1000, pk__in=ids)
    else:
        school_type = bare(Workshop, 1000, school_types_contains("po"))
    out = {}
    cases = {
        "bookings": ("/api/v1/bookings/?limit=1000", bare(Booking, 1000)),
        "workshops": ("/api/v1/workshops/?limit=1000", bare(Workshop, 1000)),
        "items": ("/api/v1/items/?limit=1000", bare(Item, 1000)),
        "schools": ("/api/v1/schools/?limit=1000", bare(School, 1000)),
        # The same rows as the bare query: every workshop for "po" (fewer than 1,000).
        "workshops_school_type": ("/api/v1/workshops/?school_type=po&limit=1000", school_type),
    }
    for name, (url, baseline) in cases.items():
        out[name] = _paired(api(url), baseline, rounds)
    # at_risk: a page of 1,000 of the bookings at risk against a bare page of 1,000 of the
    # bookings it picks from (confirmed or packed, from today on) — the bare side does not
    # judge the pool, so the ratio holds the whole cost of the filter.
    today = dt.date.today()
    before = _rss_mb()
    at_risk = _paired(
        api("/api/v1/bookings/?at_risk=true&limit=1000"),
        bare(Booking, 1000, status__in=("confirmed", "packed"), date__gte=today),
        rounds,
    )
    count = client.get("/api/v1/bookings/?at_risk=true&limit=1").json()["count"]
    out["at_risk"] = {**at_risk, "rows": count, "rss_growth_mb": round(_rss_mb() - before, 1)}
    return out


def _confirm(client) -> dict:
    """Queries and requests per second of confirming requested bookings, against `/me`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bookings.models import Booking

    ids = list(
        Booking.objects.filter(status="requested", reference__startswith="BENCH-L")
        .order_by("date", "id")
        .values_list("id", flat=True)[:200]
    )
    queries, times, ok = [], [], 0
    for pk in ids:
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.post(
                f"/api/v1/bookings/{pk}/confirm/", content_type="application/json"
            )
            elapsed = time.perf_counter() - started
        if response.status_code == 200:
            ok += 1
            times.append(elapsed)
            queries.append(sum(1 for q in context.captured_queries if "SAVEPOINT" not in q["sql"]))
        if ok >= 30:
            break
    me = _median(lambda: client.get("/api/v1/me/"), 50)
    confirm = statistics.median(times) if times else float("nan")
    return {
        "queries": statistics.median(queries) if queries else None,
        "confirm_rps": 1 / confirm,
        "me_rps": 1 / me,
        "confirmed": ok,
    }


def _reach(client, rounds: int) -> dict:
    """The report by school type over a school year: median wall time and median CPU time (this
    process, plus the PostgreSQL backend's when it runs on this machine), and the plan."""
    from django.db import connection

    try:  # a checkout with the reach facts (bookings.reports.facts) builds them after the
        from bookings.reports import facts  # bulk rows, as bench/_bulk.py's callers do
    except ImportError:
        pass
    else:
        facts.rebuild()
    with connection.cursor() as cursor:  # planner statistics of the bulk rows, for both trees
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    url = "/api/v1/reports/reach/?date_from=2025-08-01&date_to=2026-07-31&group_by=school_type"
    api = _median(lambda: client.get(url), rounds)
    cpu = []
    for _ in range(rounds):
        before = _cpu_seconds(connection)
        client.get(url)
        cpu.append(_cpu_seconds(connection) - before)
    return {
        "api": api,
        "cpu": statistics.median(cpu),
        "vendor": connection.vendor,
        "explain": _explain(connection),
    }


def _cpu_seconds(connection) -> float:
    sys.path.insert(0, str(HERE.parent))
    from _setup import cpu_seconds

    return cpu_seconds(connection)


def _explain(connection) -> str:
    """The plan of the report's largest query (its rows by school type), whichever way the
    checkout builds it: the statements are captured from `reach_report` itself."""
    import datetime as dt

    from django.test.utils import CaptureQueriesContext

    from bookings.reports import selectors

    period = selectors.Period(dt.date(2025, 8, 1), dt.date(2026, 7, 31))
    with CaptureQueriesContext(connection) as context:
        selectors.reach_report(period=period, group_by="school_type")
    rows_query = next(
        q["sql"]
        for q in context.captured_queries
        if "school_type" in q["sql"] and "GROUP BY" in q["sql"]
    )
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + rows_query)
        return "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())


def _packing_pdf(client, rounds: int) -> dict:
    """The packing-list PDF request against rendering the same PDF from data read beforehand."""
    from bookings.models import Booking
    from bookings.packing import services as packing

    booking = (
        Booking.objects.filter(status="confirmed", reference__startswith="BENCH-L")
        .order_by("id")
        .first()
    )
    try:
        packing.packing_list_ensure(booking=booking)
    except Exception as exc:  # a shortage makes no list in some data sets
        return {"error": str(exc)}
    url = f"/api/v1/bookings/{booking.pk}/packing-list.pdf"
    from django.utils import timezone

    from bookings.packing.pdf import PackingListPdf
    from bookings.packing.selectors import pdf_context_for_booking

    # The bare render: the same document from the context read once, outside the clock.
    context = pdf_context_for_booking(
        booking=Booking.objects.select_related("school", "wagon").get(pk=booking.pk)
    )
    figures = _paired(
        lambda: client.get(url),
        lambda: PackingListPdf(context, generated_at=timezone.now()).render(),
        rounds,
    )
    return {**figures, "lines": len(context.get("lines", []))}


def _planner(meta: dict) -> dict:
    """200 requests on 4 wagons over four weeks: time to plan, whether a web request waits for
    it, and whether two runs give the same proposal."""
    import datetime as dt
    import random

    import time_machine
    from django.conf import settings

    from bookings.models import Booking, BookingSession, School, Workshop

    rng = random.Random(200)
    schools = list(School.objects.filter(depot_id=meta["depot"]).order_by("id")[:300])
    workshops = list(Workshop.objects.filter(kit_rules__isnull=True).order_by("id")[:5]) or list(
        Workshop.objects.order_by("id")[:5]
    )
    date_from = dt.date(2027, 9, 6)
    days = [date_from + dt.timedelta(days=i) for i in range(28) if i % 7 < 5]
    made = Booking.objects.bulk_create(
        Booking(
            reference=f"BENCH-P-{i:04d}",
            school=rng.choice(schools),
            date=rng.choice(days),
            status="requested",
            alternative_dates=[str(d) for d in rng.sample(days, 2)],
            contact_name="x",
            contact_email="x@school.nl",
        )
        for i in range(200)
    )
    BookingSession.objects.bulk_create(
        BookingSession(
            booking=b,
            workshop=rng.choice(workshops),
            group_label="groep 6",
            school_type="po",
            year=6,
            pupils=rng.randint(10, 28),
            start_time=dt.time(rng.choice([9, 10, 13]), 0),
        )
        for b in made
    )
    body = {
        "wagons": meta["wagons"],
        "date_from": str(date_from),
        "date_to": str(date_from + dt.timedelta(days=27)),
        "commit": False,
    }
    new = hasattr(settings, "TW_PLAN_JOBS")
    answers, request_s, plan_s = [], [], []
    with time_machine.travel(dt.datetime(2027, 8, 20, 9, 0, tzinfo=dt.UTC), tick=True):
        client = _client()  # logged in on the travelled clock
        for _ in range(2):
            started = time.perf_counter()
            response = client.post("/api/v1/routes/plan/", body, content_type="application/json")
            request_s.append(time.perf_counter() - started)
            assert response.status_code in (200, 202), response.content[:500]
            if new:
                from routes import jobs

                started = time.perf_counter()
                jobs.plan_job_run(response.json()["id"])
                plan_s.append(time.perf_counter() - started + request_s[-1])
                result = client.get(response.json()["job"]).json()["result"]
            else:
                plan_s.append(request_s[-1])
                result = response.json()
            answers.append(
                (
                    result["served"],
                    result["total_drive_minutes"],
                    [[s["booking"] for s in r["stops"]] for r in result["routes"]],
                )
            )
    return {
        "request_s": max(request_s),
        "plan_s": max(plan_s),
        "served": answers[0][0],
        "drive": answers[0][1],
        "same_answer": answers[0] == answers[1],
        "status": response.status_code,
    }


def _worker_memory(root: Path) -> dict:
    """RSS of a fresh web worker after loading the WSGI app and the URL conf."""
    code = (
        "import os, sys; sys.path.insert(0, os.getcwd());"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'backend.settings');"
        "import backend.wsgi; from django.urls import get_resolver; get_resolver().url_patterns;"
        "rss = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS')][0];"
        "print(rss / 1024, 'ortools' in sys.modules)"
    )
    env = {**os.environ, "DEBUG": "1", "TW_ALLOW_DEV_SECRET": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
    )
    rss, ortools = out.stdout.split()
    return {"rss_mb": float(rss), "ortools": ortools == "True"}


def _me_persistent(root: Path, pg_url: str) -> dict:
    """`/me` per second on PostgreSQL with CONN_MAX_AGE=0 and with this tree's setting."""
    from django.db import connection

    client = _client_pg()
    if client is None:
        return {}
    configured = connection.settings_dict.get("CONN_MAX_AGE", 0)
    figures = {}
    for label, age in (("no_persist", 0), ("configured", configured)):
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = age
        figures[label] = 1 / _median(lambda: client.get("/api/v1/me/"), 200)
    figures["conn_max_age"] = configured
    figures["health_checks"] = connection.settings_dict.get("CONN_HEALTH_CHECKS", False)
    return figures


def _client_pg():
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench-coord")
    user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    try:
        from programmes.models import Programme
    except ImportError:
        pass
    else:
        for programme in Programme.objects.all():
            programme.members.add(user)
    return _client()


def measure(root: Path, args) -> dict:
    if args.pg_only:
        _setup_django(root, args.pg_url, {})
        return {"me": _me_persistent(root, args.pg_url)}
    if args.pg_reach:
        # The reach row on PostgreSQL: this tree's own database, emptied and filled alike.
        from django.core.management import call_command

        _setup_django(root, args.pg_reach, {"TW_PLAN_JOBS": "manual"})
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        _build(args.reach_visits)
        return {"reach": _reach(_client(), max(3, args.rounds // 2))}
    db = Path(tempfile.mkdtemp(prefix="tw15-bench-")) / "bench.sqlite3"
    _setup_django(root, f"sqlite:///{db}", {"TW_PLAN_JOBS": "manual"})
    started = time.perf_counter()
    meta = _build(args.reach_visits)
    built = time.perf_counter() - started
    client = _client()
    result = {"build_s": built}
    parts = set(args.parts.split(","))
    if "lists" in parts:
        result["lists"] = _lists(client, args.rounds)
        for _ in range(1000):
            client.get("/api/v1/bookings/")
        result["rss_after_1000_lists_mb"] = _rss_mb()
    if "reach" in parts:
        result["reach"] = _reach(client, max(3, args.rounds // 2))
    if "pdf" in parts:
        result["packing_pdf"] = _packing_pdf(client, args.rounds)
    if "confirm" in parts:
        result["confirm"] = _confirm(client)
    if "planner" in parts:
        result["planner"] = _planner(meta)
    result["worker"] = _worker_memory(root)
    return result


# --------------------------------------------------------------------------------- reporting


def _run(root: Path, args, *, pg_only=False, pg_reach="") -> dict:
    cmd = (
        [
            sys.executable,
            str(HERE),
            "--measure",
            str(root),
            "--reach-visits",
            str(args.reach_visits),
            "--rounds",
            str(args.rounds),
            "--parts",
            args.parts,
            "--pg-url",
            args.pg_url,
        ]
        + (["--pg-only"] if pg_only else [])
        + (["--pg-reach", pg_reach] if pg_reach else [])
    )
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr[-3000:], file=sys.stderr)
        return {}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _pg_reachable(url: str) -> bool:
    try:
        sys.path.insert(0, str(HERE.parent))
        from _setup import ensure_pg_database

        ensure_pg_database(url)
        return True
    except Exception:
        return False


def report(old: dict, new: dict, old_pg: dict, new_pg: dict) -> None:
    def ratio(fig):
        return fig["api"] / fig["bare"] if fig and fig.get("bare") else float("nan")

    def get(d, *path):
        for key in path:
            if not isinstance(d, dict) or key not in d:
                return None
            d = d[key]
        return d

    def shown(fig, digits=1):
        """CPU-time ratio, the wall-clock one in brackets (see `_paired`)."""
        text = f"{ratio(fig):.{digits}f}x"
        return f"{text} (wall {ratio(get(fig, 'wall')):.{digits}f}x)" if get(fig, "wall") else text

    rows = []
    for name, label, target in [
        ("bookings", "GET /api/v1/bookings/ 1,000 rows vs bare", "<= 3x"),
        ("workshops", "GET /api/v1/workshops/ 1,000 rows vs bare", "<= 3x"),
        ("items", "GET /api/v1/items/ 1,000 rows vs bare", "<= 2.5x"),
        ("schools", "GET /api/v1/schools/ 1,000 rows vs bare", "<= 2.5x"),
        ("at_risk", "bookings/?at_risk=true page of 1,000 vs bare", "<= 3x"),
        ("workshops_school_type", "workshops/?school_type=po (all rows) vs bare", "<= 3x"),
    ]:
        o, n = get(old, "lists", name), get(new, "lists", name)
        rows.append((label, shown(o), shown(n), target, ratio(o) / ratio(n)))
    o, n = get(old, "lists", "at_risk"), get(new, "lists", "at_risk")
    rows.append(
        (
            "at_risk: RSS growth during the requests (MB), rows at risk",
            f"{get(o, 'rss_growth_mb')} MB, {get(o, 'rows')}",
            f"{get(n, 'rss_growth_mb')} MB, {get(n, 'rows')}",
            "flat",
            None,
        )
    )
    o, n = get(old, "confirm"), get(new, "confirm")
    if o and n:
        rows.append(("confirm a booking: queries", o["queries"], n["queries"], "<= 15", None))
        rows.append(
            (
                "confirm req/s vs /me req/s",
                f"{o['confirm_rps']:.0f} vs {o['me_rps']:.0f} ({o['confirm_rps'] / o['me_rps']:.2f}x)",
                f"{n['confirm_rps']:.0f} vs {n['me_rps']:.0f} ({n['confirm_rps'] / n['me_rps']:.2f}x)",
                ">= 0.4x",
                None,
            )
        )
    om, nm = get(old_pg, "me"), get(new_pg, "me")
    if om and nm:
        rows.append(
            (
                "/me req/s on PostgreSQL (CONN_MAX_AGE=0 / configured)",
                f"{om['no_persist']:.0f} / {om['configured']:.0f} (age {om['conn_max_age']})",
                f"{nm['no_persist']:.0f} / {nm['configured']:.0f} (age {nm['conn_max_age']}, "
                f"health checks {nm['health_checks']})",
                "persistent",
                nm["configured"] / om["configured"],
            )
        )
    rows.append(("availability, 50,000 bookings", "(another helper's row)", "-", "-", None))
    o, n = get(old, "planner"), get(new, "planner")
    if o and n:
        rows.append(
            (
                "tour plan 200 requests, 4 wagons: web request waits (s)",
                f"{o['request_s']:.2f} (status {o['status']})",
                f"{n['request_s']:.3f} (status {n['status']})",
                "never blocks",
                o["request_s"] / n["request_s"],
            )
        )
        rows.append(
            (
                "tour plan: time to plan (s), served, drive min, same answer twice",
                f"{o['plan_s']:.1f}, {o['served']}, {o['drive']}, {o['same_answer']}",
                f"{n['plan_s']:.1f}, {n['served']}, {n['drive']}, {n['same_answer']}",
                "<= 30 s, deterministic",
                None,
            )
        )
    o, n = get(old, "worker"), get(new, "worker")
    if o and n:
        rows.append(
            (
                "web worker RSS after start-up (MB), ortools loaded",
                f"{o['rss_mb']:.0f}, {o['ortools']}",
                f"{n['rss_mb']:.0f}, {n['ortools']}",
                "no ortools",
                o["rss_mb"] / n["rss_mb"],
            )
        )
    rows.append(
        (
            "worker RSS after 1,000 list requests (MB)",
            f"{get(old, 'rss_after_1000_lists_mb') or float('nan'):.0f}",
            f"{get(new, 'rss_after_1000_lists_mb') or float('nan'):.0f}",
            "flat",
            None,
        )
    )
    for label, before, after, target in (
        ("reach report, SQLite", old, new, "<= 800 ms"),
        ("reach report, PostgreSQL", old_pg, new_pg, "<= 300 ms"),
    ):
        o, n = get(before, "reach", "api"), get(after, "reach", "api")
        if o or n:
            rows.append(
                (
                    f"{label} (ms wall / cpu)",
                    _reach_ms(o, before),
                    _reach_ms(n, after),
                    target,
                    o / n if o and n else None,
                )
            )
    o, n = get(old, "packing_pdf"), get(new, "packing_pdf")

    def pdf(fig):
        if not fig or "api" not in fig:
            return str(get(fig, "error") or "-")
        if "bare" not in fig:
            return f"{fig['api'] * 1000:.0f} ms"
        return (
            f"{fig['api'] * 1000:.1f} vs {fig['bare'] * 1000:.1f} ms CPU ({shown(fig, 2)}, "
            f"{fig['lines']} lines)"
        )

    if o or n:
        rows.append(("packing-list PDF request vs bare render", pdf(o), pdf(n), "<= 1.2x", None))
    width = max(len(r[0]) for r in rows)
    print("List and PDF rows: CPU time of the measuring process, wall-clock in brackets.")
    print(f"{'measure':<{width}} | {'today':>28} | {'new':>28} | {'target':>14} | ratio")
    for label, today, now, target, r in rows:
        shown = f"{r:.2f}x" if isinstance(r, float) else ""
        print(f"{label:<{width}} | {today!s:>28} | {now!s:>28} | {target:>14} | {shown}")
    print()
    print("EXPLAIN of the reach query (new, SQLite):")
    print(get(new, "reach", "explain"))
    if get(new_pg, "reach", "explain"):
        print("\nEXPLAIN ANALYZE of the reach query (new, PostgreSQL):")
        print(get(new_pg, "reach", "explain"))


def _reach_ms(wall, figures) -> str:
    if not wall:
        return "-"
    cpu = (figures.get("reach") or {}).get("cpu")
    return f"{wall * 1000:.0f} / {cpu * 1000:.0f}" if cpu is not None else f"{wall * 1000:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", default="/tmp/tw15_old")
    parser.add_argument("--measure")
    parser.add_argument("--pg-only", action="store_true")
    parser.add_argument("--pg-reach", default="", help="measure the reach row on this database")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/tw_w15_bench")
    parser.add_argument("--reach-visits", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=7)
    # Which rows to measure, e.g. `--parts lists,pdf --reach-visits 0` for a short run of the
    # list and PDF rows ("me": /me on PostgreSQL).
    parser.add_argument("--parts", default="lists,reach,pdf,confirm,planner,me")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure), args), default=str))
        return
    print(f"load average before: {os.getloadavg()}")
    old_root = Path(args.old)
    old = _run(old_root, args) if (old_root / "manage.py").exists() else {}
    new = _run(NEW_ROOT, args)
    old_pg, new_pg = {}, {}
    if "me" in args.parts.split(",") and _pg_reachable(args.pg_url):
        old_pg = _run(old_root, args, pg_only=True) if old else {}
        new_pg = _run(NEW_ROOT, args, pg_only=True)
    if "reach" in args.parts.split(","):
        # Each tree on its own PostgreSQL database (their schemas differ).
        for tree, root, figures in (("old", old_root, old_pg), ("new", NEW_ROOT, new_pg)):
            url = f"{args.pg_url}_reach_{tree}"
            if (tree == "new" or old) and _pg_reachable(url):
                figures.update(_run(root, args, pg_reach=url))
    print(f"load average after: {os.getloadavg()}")
    report(old, new, old_pg, new_pg)


if __name__ == "__main__":
    main()
