import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
Lot = get_model("partner", "Lot")
StockRecord = get_model("partner", "StockRecord")

SAFFRON = "souktana-safran-taliouine"  # coop A, user saffron@example.com
ARGAN = "tifawin-argan-tiznit"  # coop B, user argan@example.com

ROLE_EMAILS = {
    "anonymous": None,
    "customer": "customer@example.com",
    "coop_a": "saffron@example.com",
    "coop_b": "argan@example.com",
    "gie": "gie@example.com",
    "platform_staff": "admin@example.com",
}


def client_for(role: str) -> Client:
    client = Client()
    email = ROLE_EMAILS[role]
    if email:
        client.force_login(get_user_model().objects.get(email=email))
    return client


@pytest.fixture
def coop_a(demo):
    return Partner.objects.get(slug=SAFFRON)


@pytest.fixture
def coop_b(demo):
    return Partner.objects.get(slug=ARGAN)


@pytest.fixture
def user_a(demo):
    return get_user_model().objects.get(email="saffron@example.com")


@pytest.fixture
def client_a(demo):
    return client_for("coop_a")


@pytest.fixture
def client_b(demo):
    return client_for("coop_b")


@pytest.fixture
def lot_a(coop_a):
    return Lot.objects.filter(stockrecord__partner=coop_a).order_by("pk").first()


@pytest.fixture
def record_a(coop_a):
    return StockRecord.objects.filter(partner=coop_a).select_related("product").order_by("pk").first()


def form_post_data(form, *, files=("photo",)) -> dict:
    """What a browser posts back for an unchanged form: its initial values, its file fields left empty."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False or name in files:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = getattr(value, "pk", value)
    return data
