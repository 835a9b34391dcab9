"""Item list with 1,000 items: the DRF endpoint vs a hand-written values() + JsonResponse view.

Run: DEBUG=1 .venv/bin/python bench/bench_items.py [--items 1000] [--rounds 30]

Both go through the full Django request cycle (middleware, URL routing, token auth for the API,
JSON encoding) via the test client against a throwaway SQLite file. Target: API ≤ 3× hand-written.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_FILE = Path(tempfile.mkdtemp(prefix="tw-bench-")) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
os.environ.setdefault("DEBUG", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from knox.models import AuthToken  # noqa: E402

from inventory.models import Case, Depot, Item, KitType  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import in_programme, join_programmes  # noqa: E402

FIELDS = ["id", "asset_tag", "kit_type", "depot", "serial_number", "status", "case", "notes"]


def handwritten_items(request):
    """The floor: same fields, same order, no framework, no auth."""
    rows = list(Item.objects.order_by("asset_tag").values(*FIELDS)[:1000])
    return JsonResponse(
        {"count": Item.objects.count(), "next": None, "previous": None, "results": rows}
    )


urlpatterns = [
    path("bench/items/", handwritten_items),
    path("", include(settings.ROOT_URLCONF)),
]


def populate(n_items: int) -> str:
    call_command("migrate", verbosity=0, interactive=False)
    depot = Depot.objects.create(name="Depot Bench", **in_programme())
    kit_types = [
        KitType.objects.create(name=f"Kit {i}", storage_location=f"R{i}") for i in range(12)
    ]
    cases = [Case.objects.create(code=f"K-{i:03d}", name="Koffer", depot=depot) for i in range(40)]
    Item.objects.bulk_create(
        Item(
            asset_tag=f"TAG-{i:05d}",
            kit_type=kit_types[i % len(kit_types)],
            depot=depot,
            serial_number=f"SN{i:08d}",
            case=cases[i % len(cases)] if i % 3 else None,
            notes="" if i % 5 else "kras op behuizing",
        )
        for i in range(n_items)
    )
    user = User.objects.create_user("bench", password="bench-password-123")
    user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    join_programmes(user)
    return AuthToken.objects.create(user=user)[1]


def _check(client: Client, url: str, headers: dict) -> int:
    response = client.get(url, headers=headers)  # also warms caches
    assert response.status_code == 200, (url, response.status_code)
    body = response.json()
    assert len(body["results"]) == body["count"], "the list must fit one page"
    with override_settings(DEBUG=True):
        reset_queries()
        client.get(url, headers=headers)
        return len(connection.queries)


def _time_one(client: Client, url: str, headers: dict) -> float:
    start = time.perf_counter()
    response = client.get(url, headers=headers)
    response.content  # noqa: B018 - make sure the body is rendered
    return time.perf_counter() - start


def measure(client: Client, targets: dict[str, tuple[str, dict]], rounds: int) -> dict:
    """Interleaved rounds, so both views see the same machine load."""
    timings: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, (url, headers) in targets.items():
            timings[name].append(_time_one(client, url, headers))
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    token = populate(args.items)
    client = Client()
    targets = {
        "api": (f"/api/v1/items/?limit={args.items}", {"Authorization": f"Token {token}"}),
        "hand": ("/bench/items/", {}),
    }
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        queries = {name: _check(client, url, headers) for name, (url, headers) in targets.items()}
        medians = measure(client, targets, args.rounds)

    api, hand = medians["api"], medians["hand"]
    print(f"items: {args.items}, rounds: {args.rounds} (interleaved), SQLite file {DB_FILE}")
    print(
        f"  API GET /api/v1/items/ (token auth): median {api * 1000:6.1f} ms, {queries['api']} queries"
    )
    print(
        f"  hand values() + JsonResponse       : median {hand * 1000:6.1f} ms, {queries['hand']} queries"
    )
    ratio = api / hand
    verdict = "OK" if ratio <= 3 else "OVER TARGET"
    print(f"  ratio API / hand-written: {ratio:.2f}x (target <= 3x) {verdict}")
    DB_FILE.unlink(missing_ok=True)
    if ratio > 3:
        sys.exit(1)


if __name__ == "__main__":
    main()
