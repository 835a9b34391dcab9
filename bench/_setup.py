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
