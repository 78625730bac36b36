"""Checkouts through crashes: nothing placed is lost or doubled, stock adds up, each e-mail goes once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> bench/stack_faults.py --checkouts 200

Starts a stack of its own (deploy/stack.py: nginx, two gunicorn instances, a Celery worker and beat,
and a redis-server it can restart, with an append-only file as a broker needs) on 127.0.0.1 ports
that `make stack` does not use, in var/stack-faults/. Guests then place cash-on-delivery orders
through nginx from several threads while, in turn: one gunicorn instance is killed (kill -9) and
restarted, the Celery worker is killed (kill -9) and restarted, and Redis is restarted. Then it
checks, in the database and the e-mails written by the stack:
- every order a guest saw confirmed exists, once; no guest got two orders;
- the product's stock equals its stock before the run minus the units in the placed orders;
- every e-mail each placed order should send (customer, producer users) was sent exactly once.
Prints the figures, exits 1 if a check fails. `--template DB` copies that database (with the demo
data) instead of migrating and loading the demo; `--drop` removes the database afterwards.
"""

import argparse
import collections
import email
import email.policy
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--checkouts", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8090, help="nginx; the app and Redis use the next ones")
    parser.add_argument("--dir", default=str(ROOT / "var" / "stack-faults"))
    parser.add_argument("--template", default="", help="copy this database instead of migrating")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line too")
    return parser.parse_args(argv)


ARGS = _parse_args()
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/terroir_faults")
if not DATABASE_URL.startswith("postgres"):
    raise SystemExit("The fault scenario needs PostgreSQL (DATABASE_URL=postgres://…).")
os.environ.update(
    DATABASE_URL=DATABASE_URL,
    DJANGO_SETTINGS_MODULE="shop.settings",
    # A task whose worker was killed comes back after 10 s instead of an hour.
    CELERY_VISIBILITY_TIMEOUT="10",
    STATIC_ROOT=str(Path(ARGS.dir) / "static"),
    MEDIA_ROOT=str(Path(ARGS.dir) / "media"),
    EMAIL_URL=f"filemail:///{Path(ARGS.dir).resolve() / 'mail'}",
)

import psycopg  # noqa: E402
import requests  # noqa: E402
from stack_client import CheckoutFailed, RequestsHttp, basket_add, cod_checkout  # noqa: E402

from deploy.stack import Stack, StackConfig, wait_port, wait_ready  # noqa: E402

PRODUCER = "souktana-safran-taliouine"


def database_create(*, url: str, template: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = f"postgresql://{parts.netloc}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def database_drop(*, url: str) -> None:
    parts = urlsplit(url)
    with psycopg.connect(f"postgresql://{parts.netloc}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


class Shoppers:
    """Checkouts from several threads, each guest with an e-mail of its own."""

    def __init__(self, base: str, total: int):
        self.base, self.total = base, total
        self.started = 0
        self.confirmed: dict[str, str] = {}  # email -> order number seen on the thank-you page
        self.failed: collections.Counter = collections.Counter()
        self.lock = threading.Lock()

    def next_email(self) -> str | None:
        with self.lock:
            if self.started >= self.total:
                return None
            self.started += 1
            return f"fault-{self.started:04d}@example.com"

    def run_one(self, product) -> None:
        session = requests.Session()
        http = RequestsHttp(session, self.base, timeout=30)
        while (guest := self.next_email()) is not None:
            try:
                basket_add(
                    http,
                    product_url=product["url"],
                    product_pk=product["pk"],
                    quantity=1 + int(guest[6:10]) % 2,  # one or two units
                    visit="csrftoken" not in session.cookies,
                )
                number = cod_checkout(http, email=guest, review=False)
            except (CheckoutFailed, requests.RequestException) as exc:
                step = exc.step if isinstance(exc, CheckoutFailed) else type(exc).__name__
                with self.lock:
                    self.failed[step] += 1
                session = requests.Session()  # start afresh, as a customer retrying would
                http = RequestsHttp(session, self.base, timeout=30)
                continue
            with self.lock:
                self.confirmed[guest] = number

    @property
    def done(self) -> int:
        with self.lock:
            return len(self.confirmed) + sum(self.failed.values())


def faults_inject(stack: Stack, shoppers: Shoppers, log: list) -> None:
    """In turn, as the checkouts progress: gunicorn kill -9 + restart, worker kill -9 + restart, Redis."""
    steps = [
        (0.15, "kill -9 web-1", lambda: stack.kill("web-1")),
        (0.30, "restart web-1", lambda: stack.spawn("web-1")),
        (0.40, "kill -9 worker", lambda: stack.kill("worker")),
        (0.55, "restart worker", lambda: stack.spawn("worker")),
        (0.65, "restart redis", lambda: (stack.restart("redis"), wait_port(stack.config.own_redis_port, 15))),
    ]
    for share, what, action in steps:
        while shoppers.done < share * shoppers.total and shoppers.started < shoppers.total:
            time.sleep(0.05)
        started = time.monotonic()
        action()
        log.append(f"{what} at checkout {shoppers.done} ({time.monotonic() - started:.1f} s)")


def product_prepare(*, producer: str) -> dict:
    """A product of the producer with a fresh lot of 1,000 units; its stock before the run."""
    from oscar.core.loading import get_model

    from cooperatives.services import lot_create

    stockrecord = (
        get_model("partner", "StockRecord")
        .objects.filter(partner__slug=producer, product__is_public=True)
        .select_related("product")
        .order_by("pk")
        .first()
    )
    lot_create(stockrecord=stockrecord, code=f"FAULTS-{int(time.time())}", quantity=1000)
    stockrecord.refresh_from_db()
    product = stockrecord.product
    return {
        "pk": product.pk,
        "url": product.get_absolute_url(),
        "stockrecord_id": stockrecord.pk,
        "initial": stockrecord.num_in_stock,
    }


def mails_sent(mail_dir: Path) -> collections.Counter:
    """(recipient, subject) of every e-mail the file backend wrote."""
    sent = collections.Counter()
    for path in mail_dir.glob("*.log"):
        for text in path.read_text().split("\n" + "-" * 79 + "\n"):
            if text.strip():
                message = email.message_from_string(text, policy=email.policy.default)
                sent[(str(message["To"]).strip(), str(message["Subject"]).strip())] += 1
    return sent


def result_check(*, product: dict, shoppers: Shoppers, mail_dir: Path, settle_seconds: float) -> dict:
    from django.db.models import Sum
    from oscar.core.loading import get_model

    from core.models import NotificationSent
    from fulfilment.notifications import messages_for_new_order

    Order = get_model("order", "Order")
    Line = get_model("order", "Line")
    StockRecord = get_model("partner", "StockRecord")
    Lot = get_model("partner", "Lot")
    problems = []

    orders = list(Order.objects.filter(guest_email__startswith="fault-").order_by("pk"))
    per_guest = collections.Counter(order.guest_email for order in orders)
    problems += [f"{guest} has {count} orders" for guest, count in per_guest.items() if count > 1]
    numbers = {order.number: order.guest_email for order in orders}
    for guest, number in shoppers.confirmed.items():
        if numbers.get(number) != guest:
            problems.append(f"{guest} was shown order {number}, which is not in the database")

    sold = (
        Line.objects.filter(order__in=orders, stockrecord_id=product["stockrecord_id"]).aggregate(
            units=Sum("quantity")
        )["units"]
        or 0
    )
    stockrecord = StockRecord.objects.get(pk=product["stockrecord_id"])
    in_lots = Lot.objects.filter(stockrecord=stockrecord).aggregate(units=Sum("quantity"))["units"]
    if stockrecord.num_in_stock != product["initial"] - sold:
        problems.append(f"stock {stockrecord.num_in_stock} != {product['initial']} - {sold}")

    # Tasks redelivered after the worker's death come back after the visibility timeout.
    expected = [message for order in orders for message in messages_for_new_order(order_id=order.pk)]
    keys = {message["key"] for message in expected}
    deadline = time.monotonic() + settle_seconds
    while time.monotonic() < deadline:
        if NotificationSent.objects.filter(key__in=keys).count() == len(keys):
            break
        time.sleep(1)
    time.sleep(3)  # a duplicate, if any, would be written by now
    sent = mails_sent(mail_dir)
    wanted = collections.Counter((message["recipient"], message["subject"]) for message in expected)
    missing = [mail for mail in wanted if sent[mail] < wanted[mail]]
    doubled = [mail for mail in wanted if sent[mail] > wanted[mail]]
    problems += [f"never sent: {mail}" for mail in missing[:10]]
    problems += [f"sent twice: {mail}" for mail in doubled[:10]]
    return {
        "checkouts": shoppers.total,
        "confirmed_to_guest": len(shoppers.confirmed),
        "failed_steps": dict(shoppers.failed),
        "orders_in_database": len(orders),
        "placed_but_not_confirmed": len(orders) - len(shoppers.confirmed),
        "units_sold": sold,
        "stock_before_after": (product["initial"], stockrecord.num_in_stock, in_lots),
        "emails_expected": sum(wanted.values()),
        "emails_sent": sum(sent[mail] for mail in wanted),
        "emails_missing": len(missing),
        "emails_doubled": len(doubled),
        "problems": problems,
    }


def main() -> int:
    port = ARGS.port
    config = StackConfig(
        stack_dir=Path(ARGS.dir),
        port=port,
        app_ports=[port + 1, port + 2],
        database_url=DATABASE_URL,
        own_redis_port=port + 3,
        load_demo=True,  # only when the database has no products (a flushed template has none)
        worker_concurrency=2,
    )
    stack = Stack(config)
    stack.stop()  # a previous run's leftovers, if any
    (Path(ARGS.dir) / "mail").mkdir(parents=True, exist_ok=True)
    for old in (Path(ARGS.dir) / "mail").iterdir():
        old.unlink()
    (Path(ARGS.dir) / "appendonly.aof").unlink(missing_ok=True)
    database_create(url=DATABASE_URL, template=ARGS.template)
    try:
        started = time.monotonic()
        stack.start()
        print(f"stack up in {time.monotonic() - started:.0f} s at {config.url}")
        return run(stack)
    finally:
        stack.stop()
        if ARGS.drop:
            database_drop(url=DATABASE_URL)


def run(stack: Stack) -> int:
    import django

    django.setup()

    product = product_prepare(producer=PRODUCER)
    shoppers = Shoppers(stack.config.url, ARGS.checkouts)
    fault_log: list[str] = []
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=ARGS.threads + 1) as pool:
        injector = pool.submit(faults_inject, stack, shoppers, fault_log)
        for __ in range(ARGS.threads):
            pool.submit(shoppers.run_one, product)
        injector.result()
    elapsed = time.monotonic() - started
    wait_ready(f"{stack.config.url}/health/ready", timeout=30)
    result = result_check(
        product=product, shoppers=shoppers, mail_dir=Path(ARGS.dir) / "mail", settle_seconds=90
    )
    result.update(elapsed_seconds=round(elapsed, 1), faults=fault_log)
    print(f"{ARGS.checkouts} checkouts in {elapsed:.0f} s with {ARGS.threads} guests at a time")
    for line in fault_log:
        print(f"  fault: {line}")
    for key, value in result.items():
        if key not in ("faults", "problems"):
            print(f"  {key}: {value}")
    for problem in result["problems"]:
        print(f"  PROBLEM: {problem}")
    if ARGS.json:
        print("RESULT " + json.dumps(result, default=str))
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
