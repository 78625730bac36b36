import csv
import datetime
import email
import email.policy
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from pypdf import PdfReader

from fulfilment.models import ProducerFulfilment
from fulfilment.services import producer_fulfilment_cancel
from gie.models import RoundLine
from gie.selectors import round_lines_of_member, round_pick_list
from gie.services import collection_round_close, collection_round_open
from gie.tasks import purchase_orders_send
from tests.fulfilment.helpers import order_place, product_of
from tests.gie.conftest import hub_order
from tests.journey import euro_card_order_through_checkout

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 25)


def _open(gie, members, name="Semaine 48", **kwargs):
    return collection_round_open(
        gie=gie, name=name, collection_date=DAY, member_ids=[m.pk for m in members], **kwargs
    )


def test_a_round_gathers_pending_hub_lines_of_its_members_only(
    mawrout, members, django_capture_on_commit_callbacks
):
    # given an order with two members' lines, and a self-shipping producer in the same order
    order = hub_order(
        [
            (product_of("nakhil-aoufous"), 2),
            (product_of("al-wahda-rissani"), 1),
            (product_of("souktana-safran-taliouine"), 1),
        ]
    )
    nakhil_line = order.lines.get(partner__slug="nakhil-aoufous")

    # when a round is opened for one member only
    with django_capture_on_commit_callbacks(execute=True):
        round_ = _open(mawrout, [members["nakhil-aoufous"]])

    # then only that member's hub line is taken, with its open quantity
    assert list(round_.lines.values_list("fulfilment_line__line_id", "quantity")) == [(nakhil_line.pk, 2)]
    assert [m.to for m in mail.outbox if round_.name in m.subject] == [["dates@example.com"]]


def test_a_line_is_gathered_once_and_late_lines_go_to_the_next_round(mawrout, members):
    first_order = hub_order()
    everyone = list(members.values())
    first = _open(mawrout, everyone, name="R1")
    assert first.lines.count() == 2

    # a line placed after the first round went out, and the round closed
    late = hub_order([(product_of("compost-vert-erfoud"), 3)])
    collection_round_close(round_=first)
    second = _open(mawrout, everyone, name="R2")

    late_line_ids = set(late.lines.values_list("pk", flat=True))
    assert set(second.lines.values_list("fulfilment_line__line_id", flat=True)) == late_line_ids
    assert RoundLine.objects.filter(fulfilment_line__line__order=first_order).count() == 2


def test_withdrawn_and_shipping_fulfilments_are_not_gathered(mawrout, members):
    order = hub_order()
    cancelled = order.fulfilments.get(partner__slug="nakhil-aoufous")
    producer_fulfilment_cancel(fulfilment=cancelled, reason="test")
    ProducerFulfilment.objects.filter(order=order, partner__slug="al-wahda-rissani").update(status="packed")

    round_ = _open(mawrout, list(members.values()))

    assert round_.lines.count() == 0


def test_a_producer_outside_the_gie_cannot_be_in_a_round(mawrout, other_gie):
    rose = other_gie.members.get()
    with translation.override("en"), pytest.raises(ValidationError, match="not members"):
        _open(mawrout, [rose])
    assert not mawrout.rounds.exists()


def test_another_gies_hub_lines_are_not_gathered(mawrout, members, other_gie):
    order_place([(product_of("rose-du-dades"), 1)])
    hub_order()

    round_ = _open(other_gie, list(other_gie.members.all()))
    mawrout_round = _open(mawrout, list(members.values()))

    assert round_.lines.count() == 1
    assert set(mawrout_round.lines.values_list("partner__slug", flat=True)) == {
        "nakhil-aoufous",
        "al-wahda-rissani",
    }


def test_a_round_of_cash_on_delivery_orders_promises_what_the_statement_will_pay(mawrout, members):
    # given two real cash-on-delivery orders of Nakhil's Boufeggous dates, 80.00 MAD a kilo
    nakhil = members["nakhil-aoufous"]
    dates = product_of("nakhil-aoufous", 3)
    assert dates.stockrecords.get().price == Decimal("80.00")
    hub_order([(dates, 2)])
    hub_order([(dates, 1), (product_of("al-wahda-rissani"), 1)])

    # when a round gathers them
    round_ = _open(mawrout, list(members.values()))
    lines = round_lines_of_member(round_=round_, partner_id=nakhil.pk)

    # then each unit promises 80.00 − 8 % commission (6.40) − 1 % cash-on-delivery fee (0.80) = 72.80 MAD,
    # Nakhil having no rate of its own (the GIE's 8 % applies)
    assert nakhil.commission_rate is None and mawrout.commission_rate == Decimal("0.0800")
    assert [(rl.quantity, rl.unit_price_to_producer, rl.total_to_producer) for rl in lines] == [
        (2, Decimal("72.80"), Decimal("145.60")),
        (1, Decimal("72.80"), Decimal("72.80")),
    ]
    assert all(rl.lots for rl in lines)  # demo stock is allocated from lots (FEFO)


def test_a_euro_order_reaches_the_purchase_order_in_dirhams_at_its_recorded_rate(
    client, mawrout, members, eur_rate, stripe_double
):
    # given a buyer in France who ordered Nakhil's dates in euros, paid by card
    nakhil = members["nakhil-aoufous"]
    order = euro_card_order_through_checkout(client, [(product_of("nakhil-aoufous"), 1)])
    assert order.currency == "EUR" and order.exchange_rate.rate_to_mad == Decimal("10.81081081")
    euros = order.lines.get().unit_price_incl_tax
    round_ = _open(mawrout, [nakhil])

    [line] = round_lines_of_member(round_=round_, partner_id=nakhil.pk)

    # then the unit is paid in MAD at the order's rate, less 8 % commission and the card's 2.90 % fee,
    # each to the centime
    mad = (euros * Decimal("10.81081081")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    commission = (mad * Decimal("0.08")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    fee = (mad * Decimal("0.029")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert line.unit_price_to_producer == mad - commission - fee


def test_the_pick_list_counts_units_per_product_and_member(mawrout, members):
    order = hub_order()
    round_ = _open(mawrout, list(members.values()))

    assert {
        (row["fulfilment_line__line__title"], row["units"]) for row in round_pick_list(round_=round_)
    } == {
        (order.lines.get(partner__slug="nakhil-aoufous").title, 2),
        (order.lines.get(partner__slug="al-wahda-rissani").title, 1),
    }


def test_the_purchase_order_mail_carries_the_members_pdf_and_csv_once(
    mawrout, members, django_capture_on_commit_callbacks
):
    # given an order of two members, one of whom has a user (dates@example.com)
    order = hub_order()
    nakhil = members["nakhil-aoufous"]
    line = order.lines.get(partner=nakhil)
    other = order.lines.exclude(partner=nakhil).get()

    # when a round over both members opens (the e-mail tasks run after commit)
    with django_capture_on_commit_callbacks(execute=True):
        round_ = _open(mawrout, list(members.values()))

    # then the member's mail, read back as sent, carries its purchase order as PDF and CSV
    (sent,) = [m for m in mail.outbox if m.to == ["dates@example.com"]]
    parsed = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    files = {part.get_filename(): part for part in parsed.iter_attachments()}
    name = f"purchase-order-{round_.pk}-nakhil-aoufous"
    assert sorted(files) == [f"{name}.csv", f"{name}.pdf"]
    assert files[f"{name}.pdf"].get_content_type() == "application/pdf"
    reader = PdfReader(io.BytesIO(files[f"{name}.pdf"].get_content()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert nakhil.name in text and str(order.number) in text and line.title[:30] in text
    assert other.title[:30] not in text
    rows = list(csv.DictReader(io.StringIO(files[f"{name}.csv"].get_content().removeprefix("\ufeff"))))
    assert [(r["order"], r["product"], r["sku"], r["quantity"]) for r in rows] == [
        (str(order.number), line.title, line.partner_sku, str(line.quantity))
    ]
    assert rows[0]["lot"]

    # and a retried task sends nothing twice
    retried = purchase_orders_send.apply(args=[round_.pk, nakhil.pk])
    assert retried.successful() and retried.result == 0
    assert len([m for m in mail.outbox if m.to == ["dates@example.com"]]) == 1


def test_the_purchase_order_mail_is_in_french_even_for_an_arabic_order_and_worker(
    mawrout, members, django_capture_on_commit_callbacks
):
    hub_order(language="ar")

    with translation.override("ar"), django_capture_on_commit_callbacks(execute=True):
        round_ = _open(mawrout, list(members.values()))

    (sent,) = [m for m in mail.outbox if m.to == ["dates@example.com"]]
    assert sent.subject == f"{mawrout} : bon de commande de la tournée {round_.name}"
