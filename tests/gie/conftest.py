import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from gie.models import Gie
from tests.fulfilment.helpers import order_place, product_of
from tests.payment.conftest import stripe_double  # noqa: F401  (card orders of hub products)

Partner = get_model("partner", "Partner")
PASSWORD = "terroir-demo"


@pytest.fixture
def mawrout(demo):
    return Gie.objects.get(slug="mawrout-bladi")


@pytest.fixture
def members(mawrout):
    return {p.slug: p for p in mawrout.members.all()}


def hub_order(items=None, **kwargs):
    """An order of two Mawrout Bladi members' products (both routed through the hub)."""
    items = items or [(product_of("nakhil-aoufous"), 2), (product_of("al-wahda-rissani"), 1)]
    return order_place(items, **kwargs)


@pytest.fixture
def other_gie(demo):
    """A second GIE with its own coordinator and member, to check that neither sees the other."""
    user = get_user_model().objects.create_user(
        username="other@example.com", email="other@example.com", password=PASSWORD
    )
    gie = Gie.objects.create(name="GIE Oasis Draa", slug="oasis-draa")
    gie.coordinators.add(user)
    rose = Partner.objects.get(slug="rose-du-dades")
    Partner.objects.filter(pk=rose.pk).update(fulfilment_module="gie_hub")
    gie.members.add(rose)
    return gie
