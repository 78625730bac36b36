"""The platform's settlement screen, the cooperative's statements page and the one download URL,
from the outside, for each role; and the month-end run's carry-over and constant query count."""

import csv
import datetime
import io
from decimal import Decimal

import arabic_reshaper
import pytest
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model
from pypdf import PdfReader

from fulfilment.models import SettlementLine, SettlementStatement
from fulfilment.settlements import settlements_create
from tests.fulfilment.test_settlements import PERIOD, SAFFRON, _delivered_order

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
D = Decimal
PASSWORD = "terroir-demo"
ADMIN, SAFFRON_STAFF, ARGAN_STAFF, DATES_STAFF, COORDINATOR, CUSTOMER = (
    "admin@example.com",
    "saffron@example.com",
    "argan@example.com",
    "dates@example.com",
    "gie@example.com",
    "customer@example.com",
)


def _login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def _statement(slug, **kwargs):
    values = dict(
        gross=D("100.00"),
        refunds=D("0.00"),
        commission=D("10.00"),
        payment_fees=D("1.00"),
        shipping=D("0.00"),
        net_payable=D("89.00"),
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
    )
    values.update(kwargs)
    return SettlementStatement.objects.create(partner=Partner.objects.get(slug=slug), **values)


@pytest.fixture
def statements(demo):
    return {
        "saffron": _statement(SAFFRON),
        "dates": _statement("nakhil-aoufous", net_payable=D("40.00")),
        "argan": _statement("tifawin-argan-tiznit", net_payable=D("55.50")),
    }


def test_staff_draw_up_the_month_for_every_producer_and_read_the_files_back(client, demo):
    _delivered_order(
        quantity=2, unit_price=D("120.00"), shipping=D("30.00"), shipped=2, payment="cash-on-delivery"
    )
    _login(client, ADMIN)

    response = client.post(
        reverse("settlements-dashboard:list"),
        {"period_start": PERIOD["period_start"].isoformat(), "period_end": PERIOD["period_end"].isoformat()},
    )

    assert response.status_code == 302
    statement = SettlementStatement.objects.get()
    # 2 × 120.00 delivered, shipping 30.00 collected; commission at the producer's rate, 1% COD fee.
    assert statement.gross == D("240.00") and statement.shipping == D("30.00")
    assert statement.net_payable == statement.gross - statement.commission - statement.payment_fees + D(
        "30.00"
    )
    page = client.get(reverse("settlements-dashboard:list"))
    assert page.status_code == 200
    assert [s.pk for s in page.context["statements"]] == [statement.pk]
    assert page.context["unpaid"] == {"count": 1, "total": statement.net_payable}
    pdf = client.get(reverse("settlements-dashboard:file", kwargs={"pk": statement.pk, "fmt": "pdf"}))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert f"{statement.net_payable:.2f}".replace(".", ",") in text  # French, the reader's language
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    reverse("settlements-dashboard:file", kwargs={"pk": statement.pk, "fmt": "csv"})
                ).content.decode()
            )
        )
    )
    assert rows[-1]["net_payable"] == str(statement.net_payable)


def test_a_period_that_ends_before_it_starts_is_refused_and_writes_nothing(client, demo):
    _delivered_order(quantity=1, unit_price=D("50.00"), shipping=D("0"), shipped=1, payment="")
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
    assert client.get(list_url).context["unpaid"] == {"count": 3, "total": D("184.50")}

    client.post(
        reverse("settlements-dashboard:paid", kwargs={"pk": argan.pk}), {"reference": "VIR-2026-11-07"}
    )
    client.post(reverse("settlements-dashboard:paid", kwargs={"pk": argan.pk}), {"reference": "VIR-again"})

    argan.refresh_from_db()
    assert argan.payment_reference == "VIR-2026-11-07" and argan.date_paid
    assert [s.pk for s in client.get(list_url, {"paid": "yes"}).context["statements"]] == [argan.pk]
    assert client.get(list_url, {"paid": "no"}).context["unpaid"] == {"count": 2, "total": D("129.00")}
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
        (COORDINATOR, 403, False, {"dates"}),  # the GIE sees its members' statements only
        (ADMIN, 200, True, {"saffron", "dates", "argan"}),
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
    if username is None:
        return
    refused = client.post(
        reverse("settlements-dashboard:list"), {"period_start": "2026-11-01", "period_end": "2026-11-30"}
    )
    assert refused.status_code == (302 if can_pay else 403)


def test_a_cooperative_lists_its_own_statements_with_their_files(
    client, statements, django_assert_max_num_queries
):
    _statement(SAFFRON, period_start=datetime.date(2026, 9, 1), period_end=datetime.date(2026, 9, 30))
    _login(client, SAFFRON_STAFF)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("coop-dashboard:settlements"))

    assert response.status_code == 200
    shown = list(response.context["statements"])
    assert {s.partner.slug for s in shown} == {SAFFRON} and len(shown) == 2
    assert [s.period_end for s in shown] == [datetime.date(2026, 10, 31), datetime.date(2026, 9, 30)]
    assert reverse("settlements-dashboard:file", kwargs={"pk": statements["saffron"].pk, "fmt": "pdf"}) in (
        response.content.decode()
    )
    assert reverse("settlements-dashboard:file", kwargs={"pk": statements["argan"].pk, "fmt": "pdf"}) not in (
        response.content.decode()
    )


def test_the_staff_list_costs_the_same_queries_for_3_or_30_statements(
    client, statements, django_assert_max_num_queries
):
    _login(client, ADMIN)
    url = reverse("settlements-dashboard:list")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for month in range(1, 10):
        for slug in (SAFFRON, "nakhil-aoufous", "tifawin-argan-tiznit"):
            _statement(
                slug, period_start=datetime.date(2025, month, 1), period_end=datetime.date(2025, month, 28)
            )

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["statements"]) == 30


def test_a_delivery_after_its_producers_statement_is_carried_into_the_next_one(demo):
    first = _delivered_order(quantity=1, unit_price=D("100.00"), shipping=D("0"), shipped=1, payment="")
    [statement] = settlements_create(**PERIOD)
    late = _delivered_order(quantity=2, unit_price=D("100.00"), shipping=D("0"), shipped=2, payment="")

    # Same period again: the producer has its statement already, the late delivery waits.
    assert settlements_create(**PERIOD) == []
    next_period = {
        "period_start": PERIOD["period_end"] + datetime.timedelta(days=1),
        "period_end": PERIOD["period_end"] + datetime.timedelta(days=31),
    }
    [following] = settlements_create(**next_period)

    assert following.gross == D("200.00") and following.fulfilments_count == 1
    assert dict(SettlementLine.objects.values_list("fulfilment_id", "statement_id")) == {
        first.pk: statement.pk,
        late.pk: following.pk,
    }


def test_the_month_end_run_takes_the_same_queries_for_2_or_6_deliveries(demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def deliveries_then_run(count, index):
        for _ in range(count):
            _delivered_order(
                quantity=1,
                unit_price=D("80.00"),
                shipping=D("0"),
                shipped=1,
                payment="stripe-card",
                index=index,
            )
        with CaptureQueriesContext(connection) as queries:
            statements = settlements_create(**PERIOD)
        SettlementLine.objects.all().delete()
        SettlementStatement.objects.all().delete()
        return len(queries.captured_queries), sum(s.fulfilments_count for s in statements)

    few, settled_few = deliveries_then_run(2, 0)
    many, settled_many = deliveries_then_run(4, 1)

    assert (settled_few, settled_many) == (2, 6)
    assert many == few


def test_order_numbers_with_tabs_newlines_and_backslashes_are_written_back_intact(demo):
    fulfilment = _delivered_order(quantity=1, unit_price=D("10.00"), shipping=D("0"), shipped=1, payment="")
    type(fulfilment.order).objects.filter(pk=fulfilment.order_id).update(number="T\\1\t2\n3")

    [statement] = settlements_create(**PERIOD)

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
    assert "Relevé de reversement" not in text and "89,00" in text
