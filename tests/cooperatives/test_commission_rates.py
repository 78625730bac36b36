"""Which commission a producer pays: its own rate, else its GIE's default, else the platform's."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from cooperatives.selectors import commission_rates_for
from gie.models import Gie

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
D = Decimal


def test_own_rate_then_gie_default_then_platform_default(demo, settings, django_assert_num_queries):
    settings.DEFAULT_COMMISSION_RATE = "0.15"
    saffron = Partner.objects.get(slug="souktana-safran-taliouine")  # no GIE, no own rate
    nakhil = Partner.objects.get(slug="nakhil-aoufous")  # member of Mawrout Bladi (8 %)
    wahda = Partner.objects.get(slug="al-wahda-rissani")  # member, with its own rate
    Partner.objects.filter(pk=wahda.pk).update(commission_rate=D("0.0500"))

    with django_assert_num_queries(1):
        rates = commission_rates_for(partner_ids=[saffron.pk, nakhil.pk, wahda.pk])

    assert rates == {saffron.pk: D("0.15"), nakhil.pk: D("0.0800"), wahda.pk: D("0.0500")}


def test_a_gie_without_a_default_leaves_its_members_at_the_platform_rate(demo):
    Gie.objects.filter(slug="mawrout-bladi").update(commission_rate=None)
    nakhil = Partner.objects.get(slug="nakhil-aoufous")

    assert commission_rates_for(partner_ids=[nakhil.pk]) == {nakhil.pk: D("0.10")}


def test_the_cooperative_reads_its_exact_rate_on_its_profile(client, demo):
    Partner.objects.filter(slug="nakhil-aoufous").update(commission_rate=D("0.0725"))
    assert client.login(username="dates@example.com", password="terroir-demo")

    page = client.get(reverse("coop-dashboard:profile")).content.decode()

    assert '<span id="commission">7,25 %</span>' in page  # French decimal comma, not rounded to 7
