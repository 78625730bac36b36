"""The platform's settlement screen, the cooperative's statements page and the one download URL,
from the outside, for each role; and the month-end run's carry-over and constant query count.

Statements come from real runs over orders placed, delivered and paid as users do (see
tests/fulfilment/settlement_helpers.py); figures are hand-computed from the demo's prices."""

import csv
import datetime
import io
from decimal import Decimal

import arabic_reshaper
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from fulfilment.models import SettlementLine, SettlementStatement
from fulfilment.settlements import settlements_draw_up
from gie.models import Gie
from tests.fulfilment.settlement_helpers import (
    ADMIN,
    ARGAN,
    NEXT_PERIOD,
    PERIOD,
    SAFFRON,
    SAFFRON_1G,
    SAFFRON_2G,
    card_order,
    cod_order,
    hub_order_delivered,
    order_delivered,
    remitted,
    staff,
)
from tests.payment.conftest import stripe_double  # noqa: F401  (the fixture is used by name)

pytestmark = pytest.mark.django_db
D = Decimal
PASSWORD = "terroir-demo"
SAFFRON_STAFF, ARGAN_STAFF, DATES_STAFF, COORDINATOR, CUSTOMER = (
    "saffron@example.com",
    "argan@example.com",
    "dates@example.com",
    "gie@example.com",
    "customer@example.com",
)


def _login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def _later_period(index: int) -> dict:
    """The index-th month after NEXT_PERIOD (31 days each)."""
    start = NEXT_PERIOD["period_end"] + datetime.timedelta(days=1 + 31 * index)
    return {"period_start": start, "period_end": start + datetime.timedelta(days=30)}


def _cash_delivered_and_remitted(items):
    order = cod_order(items)
    remitted(order_delivered(order))
    return order


@pytest.fixture
def statements(demo):
    """One month drawn up by staff over three cash orders, delivered and remitted."""
    _cash_delivered_and_remitted([(SAFFRON, SAFFRON_1G, 1)])
    _cash_delivered_and_remitted([(ARGAN, 0, 1)])
    mawrout = Gie.objects.get(slug="mawrout-bladi")
    remitted(hub_order_delivered(mawrout, cod_order([("nakhil-aoufous", 0, 1)])))
    drawn_up = settlements_draw_up(actor=staff(), **PERIOD)
    by_slug = {"mawrout-bladi" if s.partner_id == mawrout.partner_id else s.partner.slug: s for s in drawn_up}
    # saffron: 75.00 − 7.50 − 0.75 + 35.00 shipping − 0.35 = 101.40
    # argan: 110.00 − 11.00 − 1.10 + 35.00 − 0.35 = 132.55
    # dates (a GIE member, 8 %): 90.00 − 7.20 − 0.90 = 81.90; the hub parcel's 35.00 goes to the GIE: 34.65
    nets = {slug: s.net_payable for slug, s in by_slug.items()}
    assert nets == {
        SAFFRON: D("101.40"),
        ARGAN: D("132.55"),
        "nakhil-aoufous": D("81.90"),
        "mawrout-bladi": D("34.65"),
    }
    return {
        "saffron": by_slug[SAFFRON],
        "dates": by_slug["nakhil-aoufous"],
        "argan": by_slug[ARGAN],
        "gie": by_slug["mawrout-bladi"],
    }


def test_staff_draw_up_the_month_for_every_producer_and_read_the_files_back(client, demo):
    _cash_delivered_and_remitted([(SAFFRON, SAFFRON_2G, 2)])
    _login(client, ADMIN)

    response = client.post(
        reverse("settlements-dashboard:list"),
        {"period_start": PERIOD["period_start"].isoformat(), "period_end": PERIOD["period_end"].isoformat()},
    )

    assert response.status_code == 302
    statement = SettlementStatement.objects.get()
    # 2 × 145.00 delivered: commission 2 × 14.50; cash fee 2 × 1.45 + 1 % of the 35.00 shipping (0.35)
    #   net 290.00 − 29.00 − 3.25 + 35.00 = 292.75
    assert (statement.gross, statement.commission, statement.payment_fees, statement.shipping) == (
        D("290.00"),
        D("29.00"),
        D("3.25"),
        D("35.00"),
    )
    assert statement.net_payable == D("292.75")
    page = client.get(reverse("settlements-dashboard:list"))
    assert page.status_code == 200
    assert [s.pk for s in page.context["statements"]] == [statement.pk]
    assert page.context["unpaid"] == {"count": 1, "total": D("292.75")}
    pdf = client.get(reverse("settlements-dashboard:file", kwargs={"pk": statement.pk, "fmt": "pdf"}))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "292,75" in text  # French, the reader's language
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    reverse("settlements-dashboard:file", kwargs={"pk": statement.pk, "fmt": "csv"})
                ).content.decode()
            )
        )
    )
    assert rows[-1]["net_payable"] == "292.75"


def test_a_period_that_ends_before_it_starts_is_refused_and_writes_nothing(client, demo):
    _cash_delivered_and_remitted([(SAFFRON, SAFFRON_1G, 1)])
    _login(client, ADMIN)

    response = client.post(
        reverse("settlements-dashboard:list"),
        {"period_start": "2026-11-30", "period_end": "2026-11-01"},
        follow=True,
    )

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not SettlementStatement.objects.exists()


def test_staff_filter_statements_and_record_a_payout_once(client, statements):
    _login(client, ADMIN)
    list_url = reverse("settlements-dashboard:list")

    argan = statements["argan"]
    only_argan = client.get(list_url, {"partner": argan.partner_id})
    assert [s.pk for s in only_argan.context["statements"]] == [argan.pk]
    # 101.40 + 132.55 + 81.90 + 34.65
    assert client.get(list_url).context["unpaid"] == {"count": 4, "total": D("350.50")}

    client.post(
        reverse("settlements-dashboard:paid", kwargs={"pk": argan.pk}), {"reference": "VIR-2026-11-07"}
    )
    client.post(reverse("settlements-dashboard:paid", kwargs={"pk": argan.pk}), {"reference": "VIR-again"})

    argan.refresh_from_db()
    assert argan.payment_reference == "VIR-2026-11-07" and argan.date_paid
    assert [s.pk for s in client.get(list_url, {"paid": "yes"}).context["statements"]] == [argan.pk]
    assert client.get(list_url, {"paid": "no"}).context["unpaid"] == {"count": 3, "total": D("217.95")}
    empty_reference = client.post(
        reverse("settlements-dashboard:paid", kwargs={"pk": statements["dates"].pk}), {"reference": " "}
    )
    assert empty_reference.status_code == 302
    assert SettlementStatement.objects.get(pk=statements["dates"].pk).date_paid is None


@pytest.mark.parametrize(
    "username, list_status, can_pay, readable",
    [
        (None, 302, False, set()),
        (CUSTOMER, 403, False, set()),
        (SAFFRON_STAFF, 403, False, {"saffron"}),
        (ARGAN_STAFF, 403, False, {"argan"}),
        (DATES_STAFF, 403, False, {"dates"}),
        (COORDINATOR, 403, False, {"dates", "gie"}),  # the GIE sees its members' statements and its own
        (ADMIN, 200, True, {"saffron", "dates", "argan", "gie"}),
    ],
)
def test_who_may_see_pay_and_download_which_statement(
    client, statements, username, list_status, can_pay, readable
):
    if username:
        _login(client, username)

    assert client.get(reverse("settlements-dashboard:list")).status_code == list_status
    for name, statement in statements.items():
        status = client.get(
            reverse("settlements-dashboard:file", kwargs={"pk": statement.pk, "fmt": "csv"})
        ).status_code
        if username is None:
            assert status == 302
        else:
            assert status == (200 if name in readable else 404), name
    dates = statements["dates"]
    client.post(reverse("settlements-dashboard:paid", kwargs={"pk": dates.pk}), {"reference": "VIR-X"})
    dates.refresh_from_db()
    assert (dates.payment_reference == "VIR-X") is can_pay
    _cash_delivered_and_remitted([(SAFFRON, SAFFRON_1G, 1)])
    drawn_up = client.post(reverse("settlements-dashboard:list"), NEXT_PERIOD)
    assert drawn_up.status_code == (302 if can_pay or username is None else 403)
    assert SettlementStatement.objects.filter(period_end=NEXT_PERIOD["period_end"]).count() == int(can_pay)


def test_a_cooperative_lists_its_own_statements_with_their_files(
    client, statements, django_assert_max_num_queries
):
    _cash_delivered_and_remitted([(SAFFRON, SAFFRON_1G, 1)])
    [later] = settlements_draw_up(actor=staff(), **NEXT_PERIOD)
    _login(client, SAFFRON_STAFF)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("coop-dashboard:settlements"))

    assert response.status_code == 200
    shown = list(response.context["statements"])
    assert {s.partner.slug for s in shown} == {SAFFRON} and len(shown) == 2
    assert [s.pk for s in shown] == [later.pk, statements["saffron"].pk]  # newest period first
    assert reverse("settlements-dashboard:file", kwargs={"pk": statements["saffron"].pk, "fmt": "pdf"}) in (
        response.content.decode()
    )
    assert reverse("settlements-dashboard:file", kwargs={"pk": statements["argan"].pk, "fmt": "pdf"}) not in (
        response.content.decode()
    )


def test_the_staff_list_costs_the_same_queries_for_4_or_12_statements(
    client, statements, django_assert_max_num_queries
):
    _login(client, ADMIN)
    url = reverse("settlements-dashboard:list")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for index in range(4):
        _cash_delivered_and_remitted([(SAFFRON, SAFFRON_1G, 1), (ARGAN, 0, 1)])
        assert len(settlements_draw_up(actor=staff(), **_later_period(index))) == 2

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["statements"]) == 12


def test_a_delivery_after_its_producers_statement_is_carried_into_the_next_one(demo):
    first = cod_order([(SAFFRON, SAFFRON_1G, 1)])
    (first_fulfilment,) = remitted(order_delivered(first))
    [statement] = settlements_draw_up(actor=staff(), **PERIOD)
    late = cod_order([(SAFFRON, SAFFRON_1G, 2)])
    (late_fulfilment,) = remitted(order_delivered(late))

    # Same period again: the producer has its statement already, the late delivery waits.
    assert settlements_draw_up(actor=staff(), **PERIOD) == []
    [following] = settlements_draw_up(actor=staff(), **NEXT_PERIOD)

    assert following.gross == D("150.00") and following.fulfilments_count == 1
    assert dict(SettlementLine.objects.values_list("fulfilment_id", "statement_id")) == {
        first_fulfilment.pk: statement.pk,
        late_fulfilment.pk: following.pk,
    }


def test_the_month_end_run_takes_the_same_queries_for_2_or_4_deliveries(demo, stripe_double):  # noqa: F811
    def deliveries_then_run(card_orders, cash_orders, period):
        for __ in range(card_orders):
            order_delivered(card_order([(SAFFRON, SAFFRON_1G, 1)]))
        for __ in range(cash_orders):
            _cash_delivered_and_remitted([(ARGAN, 0, 1)])
        with CaptureQueriesContext(connection) as queries:
            statements = settlements_draw_up(actor=staff(), **period)
        return len(queries.captured_queries), sum(s.fulfilments_count for s in statements)

    few, settled_few = deliveries_then_run(1, 1, PERIOD)
    many, settled_many = deliveries_then_run(2, 2, NEXT_PERIOD)

    assert (settled_few, settled_many) == (2, 4)
    assert many == few


def test_order_numbers_with_tabs_newlines_and_backslashes_are_written_back_intact(demo):
    order = cod_order([(SAFFRON, SAFFRON_1G, 1)], order_number="T\\1\t2\n3")
    remitted(order_delivered(order))

    [statement] = settlements_draw_up(actor=staff(), **PERIOD)

    assert statement.lines.get().order_number == "T\\1\t2\n3"


def test_a_reader_in_arabic_gets_the_statement_in_arabic_and_readable(client, statements):
    _login(client, SAFFRON_STAFF)
    with translation.override("ar"):
        url = reverse("settlements-dashboard:file", kwargs={"pk": statements["saffron"].pk, "fmt": "pdf"})
    assert url.startswith("/ar/")

    response = client.get(url)

    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    fonts = {str(f["/BaseFont"]).split("+")[-1] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= fonts
    # letters read back joined (presentation forms), as only a shaped text with Arabic glyphs does
    assert arabic_reshaper.reshape("كشف التسوية") in text
    assert arabic_reshaper.reshape("الصافي المستحق") in text
    net = f"{statements['saffron'].net_payable:.2f}".replace(".", ",")
    assert "Relevé de reversement" not in text and net in text, text
