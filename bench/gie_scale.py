"""GIE hub at scale: 10,000 open orders over 50 member producers, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> python bench/gie_scale.py [--orders 10000]

Builds the data with bulk_create (migrating and loading the demo data if the database is empty;
a previous run's bench GIE and orders are removed first), then times, with their SQL query counts:
the consolidated view's first page (full request as the coordinator), opening a round over every
member, the request that starts the background ZIP of every member's purchase order (PDF + CSV)
and that job itself, and a month's settlements once every fulfilment is delivered (every other order
paid by card, the others in cash the carrier remitted). Target: each
request and transaction under 1 s, queries not growing with the order count.
"""

import argparse
import datetime
import os
import random
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("EMAIL_URL", "dummymail://localhost")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from core.payments import PaymentMethod  # noqa: E402
from fulfilment.models import FulfilmentEvent, FulfilmentLine, ProducerFulfilment  # noqa: E402
from gie.exports import export_write  # noqa: E402
from gie.fulfilment_module import GieHub  # noqa: E402
from gie.models import Gie  # noqa: E402
from gie.selectors import round_purchase_orders  # noqa: E402
from gie.services import collection_round_open, gie_settlements_draw_up  # noqa: E402
from gie.tasks import export_run  # noqa: E402
from shop.demo.loader import demo_load  # noqa: E402
from shop.payment.sources import payment_source_build  # noqa: E402

Order = get_model("order", "Order")
Line = get_model("order", "Line")
ShippingAddress = get_model("order", "ShippingAddress")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Source = get_model("payment", "Source")
PREFIX = "bench-gie"
D = Decimal


def reset() -> None:
    gie = Gie.objects.filter(slug=PREFIX).first()
    if gie is None:
        return
    member_ids = list(gie.members.values_list("pk", flat=True))
    if gie.partner_id:
        member_ids.append(gie.partner_id)  # the hub's own record: its statements go too
    fulfilments = "SELECT id FROM fulfilment_producerfulfilment WHERE routing_key = %s"
    orders = "SELECT order_id FROM fulfilment_producerfulfilment WHERE routing_key = %s"
    statements = "SELECT id FROM fulfilment_settlementstatement WHERE partner_id = ANY(%s)"
    # Raw deletes child tables first: the ORM's cascade collector would load every row of 10,000 orders.
    steps = [
        (f"DELETE FROM fulfilment_settlementline WHERE statement_id IN ({statements})", [member_ids]),
        ("DELETE FROM fulfilment_settlementstatement WHERE partner_id = ANY(%s)", [member_ids]),
        ("DELETE FROM gie_roundline WHERE partner_id = ANY(%s)", [member_ids]),
        (f"DELETE FROM fulfilment_fulfilmentevent WHERE fulfilment_id IN ({fulfilments})", None),
        (f"DELETE FROM fulfilment_fulfilmentline WHERE fulfilment_id IN ({fulfilments})", None),
        (f"CREATE TEMP TABLE bench_orders AS {orders}", None),
        ("DELETE FROM fulfilment_producerfulfilment WHERE routing_key = %s", None),
        ("DELETE FROM order_line WHERE order_id IN (SELECT order_id FROM bench_orders)", []),
        ("DELETE FROM payment_source WHERE order_id IN (SELECT order_id FROM bench_orders)", []),
        ("DELETE FROM order_order WHERE id IN (SELECT order_id FROM bench_orders)", []),
        ("DROP TABLE bench_orders", []),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in steps:
            cursor.execute(sql, [f"gie:{gie.pk}"] if params is None else params)
    gie.delete()
    get_user_model().objects.filter(username__startswith=f"{PREFIX}-member-").delete()
    StockRecord.objects.filter(partner_id__in=member_ids).delete()
    Partner.objects.filter(pk__in=member_ids).delete()


def build(*, orders: int, members: int, seed: int = 7):
    rng = random.Random(seed)
    coordinator, __ = get_user_model().objects.get_or_create(
        username="bench-coordinator@example.com", defaults={"email": "bench-coordinator@example.com"}
    )
    hub = Partner.objects.create(name="GIE Bench", code=f"{PREFIX}-hub", kind="gie")
    gie = Gie.objects.create(name="GIE Bench", slug=PREFIX, partner=hub)
    gie.coordinators.add(coordinator)
    partners = Partner.objects.bulk_create(
        Partner(name=f"Bench member {i:02d}", code=f"{PREFIX}-{i:02d}", fulfilment_module=GieHub.name)
        for i in range(members)
    )
    if any(p.pk is None for p in partners):
        partners = list(Partner.objects.filter(code__startswith=PREFIX).order_by("code"))
    gie.members.add(*partners)
    # One user per member, so that opening a round sends real purchase-order mails (files attached).
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{PREFIX}-member-{i:02d}", email=f"{PREFIX}-member-{i:02d}@example.com")
        for i in range(members)
    )
    if any(u.pk is None for u in users):
        users = list(
            get_user_model().objects.filter(username__startswith=f"{PREFIX}-member-").order_by("username")
        )
    Partner.users.through.objects.bulk_create(
        Partner.users.through(partner_id=p.pk, user_id=u.pk) for p, u in zip(partners, users, strict=True)
    )
    products = list(Product.objects.filter(structure__in=["standalone", "child"]).order_by("pk")[:members])
    stockrecords = StockRecord.objects.bulk_create(
        StockRecord(
            partner=p, product=products[i % len(products)], partner_sku=f"{PREFIX}-{i}", price=D("50.00")
        )
        for i, p in enumerate(partners)
    )
    now = timezone.now()
    address = ShippingAddress.objects.create(
        first_name="Nadia", last_name="Berrada", line1="12 rue Tarik", line4="Casablanca", country_id="MA"
    )
    order_objs = Order.objects.bulk_create(
        (
            Order(
                number=f"B{i:07d}",
                currency="MAD",
                total_incl_tax=D("0"),
                total_excl_tax=D("0"),
                shipping_address=address,
                guest_email="bench@example.com",
                status="Pending",
                date_placed=now - datetime.timedelta(minutes=i),
            )
            for i in range(orders)
        ),
        batch_size=2000,
    )
    # Every other order paid by card, the others in cash (remitted by the carrier at delivery below).
    methods = [PaymentMethod.CARD, PaymentMethod.CASH_ON_DELIVERY]
    source_types = {
        m: payment_source_build(method=m, currency="MAD", amount=D("0")).source_type for m in methods
    }
    Source.objects.bulk_create(
        (
            Source(
                order=order, source_type=source_types[methods[i % 2]], currency="MAD", amount_allocated=D("0")
            )
            for i, order in enumerate(order_objs)
        ),
        batch_size=2000,
    )
    line_objs, fulfilment_objs = [], []
    for order in order_objs:
        for member_index in rng.sample(range(members), 2):
            record = stockrecords[member_index]
            quantity, price = rng.randint(1, 4), D(rng.choice(["45.00", "80.00", "120.50"]))
            line_objs.append(
                Line(
                    order=order,
                    partner=record.partner,
                    partner_name=record.partner.name,
                    partner_sku=record.partner_sku,
                    stockrecord=record,
                    product=record.product,
                    title=record.product.title,
                    quantity=quantity,
                    unit_price_incl_tax=price,
                    unit_price_excl_tax=price,
                    line_price_incl_tax=price * quantity,
                    line_price_excl_tax=price * quantity,
                    line_price_before_discounts_incl_tax=price * quantity,
                    line_price_before_discounts_excl_tax=price * quantity,
                    num_allocated=quantity,
                )
            )
            fulfilment_objs.append(
                ProducerFulfilment(
                    order=order,
                    partner=record.partner,
                    module=GieHub.name,
                    shipping_method_code="gie_hub-ma",
                    shipping_charge=D("35.00")
                    if not fulfilment_objs or fulfilment_objs[-1].order is not order
                    else D("0"),
                    routing_key=f"gie:{gie.pk}",
                )
            )
    Line.objects.bulk_create(line_objs, batch_size=2000)
    ProducerFulfilment.objects.bulk_create(fulfilment_objs, batch_size=2000)
    FulfilmentLine.objects.bulk_create(
        (
            FulfilmentLine(fulfilment=f, line=line, quantity=line.quantity)
            for f, line in zip(fulfilment_objs, line_objs, strict=True)
        ),
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Fresh planner statistics after a bulk load, as autovacuum would soon give them.
            cursor.execute("ANALYZE")
    return gie, coordinator, partners


def timed(label: str, func):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
    print(f"{label:<48} {elapsed * 1000:8.0f} ms  {len(queries.captured_queries):5d} queries")
    if os.environ.get("BENCH_SLOW_SQL"):
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"    {float(query['time']) * 1000:7.0f} ms  {query['sql'][:160]}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=50)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Product.objects.exists():
        demo_load(with_images=False)
    reset()
    start = time.perf_counter()
    gie, coordinator, partners = build(orders=args.orders, members=args.members)
    print(
        f"built {args.orders} orders over {args.members} members in {time.perf_counter() - start:.1f} s "
        f"on {connection.vendor}"
    )

    client = Client()
    client.force_login(coordinator)
    url = reverse("gie-dashboard:consolidated", kwargs={"slug": gie.slug})
    client.get(url)  # warm up templates and caches
    response = timed("consolidated view, first page (request)", lambda: client.get(url))
    assert response.status_code == 200, response.status_code

    def open_round():
        # The purchase-order e-mails run after commit (a Celery worker in production): timed apart.
        with transaction.atomic():
            round_ = timed(
                "open a round over every member (transaction)",
                lambda: collection_round_open(
                    gie=gie,
                    name="Bench",
                    collection_date=timezone.localdate(),
                    member_ids=[p.pk for p in partners],
                ),
            )
        return round_

    round_ = timed("  … with the e-mail tasks after commit", open_round)
    print(f"  round lines: {round_.lines.count()}")

    timed(
        f"all {len(partners)} purchase orders: lines, lots, prices",
        lambda: round_purchase_orders(round_=round_),
    )
    # The ZIP of every purchase order is a background job: the request only queues it (the Celery
    # task is caught here instead of running eagerly), then the job is timed on its own.
    start_url = reverse(
        "gie-dashboard:round-purchase-orders-export", kwargs={"slug": gie.slug, "pk": round_.pk}
    )
    with mock.patch.object(export_run, "delay") as queued:
        response = timed("  … start the ZIP job (request)", lambda: client.post(start_url))
    assert response.status_code == 302 and queued.call_count == 1, response.status_code
    job_id = queued.call_args.args[0]
    job = timed("  … the ZIP job itself (in-process)", lambda: export_write(job_id=job_id))
    assert job.status == job.Status.DONE, job.error
    with job.file.open("rb") as file, zipfile.ZipFile(file) as archive:
        entries = len(archive.namelist())
    print(f"  ZIP of {job.rows_total} members, {entries} files, {job.file.size / 1e6:.1f} MB")
    job.file.delete(save=False)
    progress = timed("  … its progress page (request)", lambda: client.get(response.url))
    assert progress.status_code == 200, progress.status_code

    fulfilments = ProducerFulfilment.objects.filter(routing_key=f"gie:{gie.pk}")
    fulfilments.update(status="delivered")
    # The carrier collected and remitted the cash orders' money (settlements wait for it otherwise).
    now = timezone.now()
    fulfilments.filter(order__sources__source_type__code=PaymentMethod.CASH_ON_DELIVERY.value).update(
        cod_collected_amount=D("0"),
        cod_collected_at=now,
        cod_remitted_at=now,
        cod_remittance_reference="bench",
    )
    FulfilmentEvent.objects.bulk_create(
        (
            FulfilmentEvent(fulfilment_id=pk, status_from="shipped", status_to="delivered")
            for pk in fulfilments.values_list("pk", flat=True)
        ),
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after the day's deliveries
    today = timezone.localdate()
    statements = timed(
        "a month's settlements (the GIE's coordinator)",
        lambda: gie_settlements_draw_up(
            gie=gie, actor=coordinator, period_start=today.replace(day=1), period_end=today
        ),
    )
    print(f"  statements: {len(statements)}, net payable {sum(s.net_payable for s in statements)} MAD")


if __name__ == "__main__":
    main()
