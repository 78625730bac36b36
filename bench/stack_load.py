"""Load on the production-like stack: browse 70 %, search 15 %, basket 10 %, checkout 5 % (locust).

    make stack
    DATABASE_URL=… bench/stack_load.py --users 50 200 --seconds 60      (or: make bench-load)

For each number of users, a bounded headless locust run against 127.0.0.1 (STACK_PORT, 8080 by
default), then: requests/s, p50/p95/p99 in ms, error rate, the slowest steps, and the CPU each part
of the stack used during the run (gunicorn instances, Celery, PostgreSQL, Redis, nginx, and locust
itself, which shares the same cores) — the first part near its cores' worth is what saturates.

It reads the stack's database (same DATABASE_URL as `make stack`) to pick products, and gives the
products it buys a large extra lot so the run measures the stack, not running out of stock.
Locust is not a dependency of the shop: `make bench-load` installs it into .venv when missing.
"""

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/terroir_stack")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from cooperatives.services import lot_create  # noqa: E402

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
OUT = ROOT / "var" / "bench"
TICKS = os.sysconf("SC_CLK_TCK")


def targets_write(stocked: int = 12) -> Path:
    products = list(Product.objects.filter(is_public=True).order_by("pk"))
    records = {r.product_id: r for r in StockRecord.objects.filter(product__in=products)}
    chosen = [p for p in products if p.pk in records][:stocked]
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    for product in chosen:
        lot_create(stockrecord=records[product.pk], code=f"LOAD-{product.pk}-{stamp}", quantity=100_000)
    data = {
        "products": [[p.pk, p.get_absolute_url()] for p in products],
        "stocked": [[p.pk, p.get_absolute_url()] for p in chosen],
        "categories": [c.get_absolute_url() for c in Category.objects.all()[:20]],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "targets.json"
    path.write_text(json.dumps(data))
    return path


# --- CPU per part of the stack, from /proc ---------------------------------------------------------

PARTS = {
    "gunicorn": ("gunicorn",),
    "celery": ("celery",),
    "postgres": ("postgres",),
    "redis": ("redis-server",),
    "nginx": ("nginx",),
}


def cpu_ticks() -> dict[str, int]:
    totals = dict.fromkeys(PARTS, 0)
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        comm = cmdline or ""
        for part, markers in PARTS.items():
            if any(marker in comm for marker in markers):
                totals[part] += int(stat[11]) + int(stat[12])  # utime + stime
                break
    return totals


def machine_busy_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot, from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def locust_run(*, users: int, seconds: int, host: str, targets: Path, locust: str) -> dict:
    prefix = OUT / f"load-{users}"
    env = dict(os.environ, TERROIR_BENCH_TARGETS=str(targets))
    command = [
        locust, "-f", str(ROOT / "bench" / "stack_locustfile.py"), "--headless", "--only-summary",
        "-u", str(users), "-r", str(max(users // 5, 1)), "-t", f"{seconds}s", "--host", host,
        "--csv", str(prefix), "--stop-timeout", "10", "--exit-code-on-error", "0",
    ]  # fmt: skip
    before, started = cpu_ticks(), time.monotonic()
    machine_before, children_before = machine_busy_ticks(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.monotonic() - started
    after, machine_after = cpu_ticks(), machine_busy_ticks()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = {part: (after[part] - before[part]) / TICKS / elapsed for part in PARTS}
    cpu["locust"] = (
        children.ru_utime + children.ru_stime - children_before.ru_utime - children_before.ru_stime
    ) / elapsed
    busy = (machine_after[0] - machine_before[0]) / TICKS / elapsed
    cpu["others on the machine"] = max(busy - sum(cpu.values()), 0.0)
    with open(f"{prefix}_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    requests_count = int(total["Request Count"])
    steps = sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: -float(r["95%"] or 0))
    return {
        "users": users,
        "requests": requests_count,
        "rps": float(total["Requests/s"]),
        "p50": total["50%"],
        "p95": total["95%"],
        "p99": total["99%"],
        "errors": int(total["Failure Count"]),
        "error_rate": int(total["Failure Count"]) / max(requests_count, 1),
        "slowest": [(r["Name"], r["95%"]) for r in steps[:4]],
        "cpu": cpu,
        "load": os.getloadavg()[0],
        "failures": _failures(prefix),
    }


def _failures(prefix: Path) -> list[str]:
    try:
        with open(f"{prefix}_failures.csv") as handle:
            return [f"{r['Occurrences']}× {r['Name']}: {r['Error'][:90]}" for r in csv.DictReader(handle)][:5]
    except OSError:
        return []


def report(result: dict) -> None:
    print(f"\n== {result['users']} users ==")
    print(
        f"requests {result['requests']}, {result['rps']:.1f} req/s, p50 {result['p50']} ms, "
        f"p95 {result['p95']} ms, p99 {result['p99']} ms, errors {result['errors']} "
        f"({result['error_rate']:.2%})"
    )
    print("slowest steps (p95 ms): " + ", ".join(f"{name} {p95}" for name, p95 in result["slowest"]))
    cpu = ", ".join(
        f"{part} {share:.2f}" for part, share in sorted(result["cpu"].items(), key=lambda i: -i[1])
    )
    print(f"CPU used, in cores (the machine has {os.cpu_count()}, load average {result['load']:.1f}): {cpu}")
    for failure in result["failures"]:
        print(f"  failure: {failure}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--host", default=f"http://127.0.0.1:{os.environ.get('STACK_PORT', '8080')}")
    parser.add_argument(
        "--locust", default=os.environ.get("LOCUST") or shutil.which("locust", path=sys.prefix + "/bin")
    )
    args = parser.parse_args()
    if not args.host.startswith(("http://127.", "http://localhost")):
        raise SystemExit("The load goes to this machine only (127.0.0.1).")
    if not args.locust:
        raise SystemExit("locust is not installed: `make bench-load` installs it into .venv.")
    with urllib.request.urlopen(f"{args.host}/health/ready", timeout=5) as response:
        assert response.status == 200, "the stack is not ready: make stack"
    targets = targets_write()
    for users in args.users:
        report(
            locust_run(users=users, seconds=args.seconds, host=args.host, targets=targets, locust=args.locust)
        )


if __name__ == "__main__":
    main()
