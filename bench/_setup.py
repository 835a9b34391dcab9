"""Shared start-up for the benchmark scripts: a throwaway database and Django set up."""

import os
import sys
from pathlib import Path


def ensure_pg_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` if it does not exist yet."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def bootstrap(default_database_url: str, root: str | None = None) -> None:
    """Point Django at the bench database (DATABASE_URL wins) and call django.setup().
    `root`: the project checkout to import (default: the one this file is in), e.g. a worktree
    of an old commit to measure it with the same script."""
    sys.path.insert(0, root or str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DATABASE_URL", default_database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    os.environ.setdefault("TW_ALLOW_DEV_SECRET", "1")
    ensure_pg_database(os.environ["DATABASE_URL"])

    import django

    django.setup()


def bench_programme():
    """The programme bench rows belong to, or None in a checkout from before programmes (the
    old commits some benchmarks compare against)."""
    try:
        from programmes.models import Programme
    except ImportError:
        return None
    programme, _ = Programme.objects.get_or_create(
        name="Bench programme", defaults={"project_code": "BENCH00"}
    )
    return programme


def in_programme(**fields) -> dict:
    """`fields` plus `programme=` where the checkout has programmes (depots, schools, workshops,
    standard equipment)."""
    programme = bench_programme()
    return {**fields, "programme": programme} if programme is not None else fields


def in_depot(depot, **fields) -> dict:
    """`fields` plus `depot=` where consumables belong to a depot (issue 14)."""
    from inventory.models import Consumable

    has_depot = any(field.name == "depot" for field in Consumable._meta.fields)
    return {**fields, "depot": depot} if has_depot else fields


def of_depot(depot) -> dict:
    """`programme_id=` of a depot's programme where the checkout has programmes."""
    return {"programme_id": depot.programme_id} if hasattr(depot, "programme_id") else {}


def join_programmes(user) -> None:
    """Make a bench coordinator or crew user a member of every programme (issue 14 scopes what
    they see to their programmes; a checkout from before programmes shows them everything)."""
    try:
        from programmes.models import Programme
    except ImportError:
        return
    for programme in Programme.objects.all():
        programme.members.add(user)


def cpu_seconds(connection) -> float:
    """CPU time of this process plus, on PostgreSQL, of its server backend when that runs on
    this machine (read from /proc): on a shared machine the steadier figure than wall time."""
    import time

    total = time.process_time()
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        stat = Path(f"/proc/{connection.connection.info.backend_pid}/stat")
        if stat.exists():
            fields = stat.read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total
