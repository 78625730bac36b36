"""A settlement statement's CSV is downloaded like every CSV: UTF-8 with a BOM, numbers as numbers."""

import codecs
import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from fulfilment.models import SettlementStatement

Partner = get_model("partner", "Partner")

pytestmark = pytest.mark.django_db


def test_the_statement_csv_is_utf8_with_a_bom_and_its_amounts_parse(client, demo):
    # given a statement with a negative net payable (refunds exceeded sales)
    statement = SettlementStatement.objects.create(
        partner=Partner.objects.get(slug="nakhil-aoufous"),
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
        gross=Decimal("100.00"),
        refunds=Decimal("112.50"),
        commission=Decimal("0.00"),
        payment_fees=Decimal("0.00"),
        shipping=Decimal("0.00"),
        net_payable=Decimal("-12.50"),
    )
    client.force_login(get_user_model().objects.get(email="admin@example.com"))

    # when staff download it
    response = client.get(reverse("settlements-dashboard:file", kwargs={"pk": statement.pk, "fmt": "csv"}))

    # then the file says its charset, starts with the BOM, and the negative total is a number
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="settlement-nakhil-aoufous-2026-10-01.csv"'
    )
    assert response.content.startswith(codecs.BOM_UTF8)
    total = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))[-1]
    assert Decimal(total["net_payable"]) == Decimal("-12.50")
    assert Decimal(total["refunds"]) == Decimal("112.50")
