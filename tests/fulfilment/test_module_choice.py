"""A producer's fulfilment module is one of the registered modules (gie registers its hub when it
loads): the admin form and the service refuse any other name."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from fulfilment.modules.pickup import Pickup
from fulfilment.modules.self_ship import SelfShip
from fulfilment.services import (
    producer_fulfilment_accept,
    producer_fulfilment_module_set,
    producer_fulfilment_pack,
    producer_fulfilment_ship,
)
from gie.fulfilment_module import GieHub
from tests.cooperatives.dashboard.conftest import form_post_data
from tests.fulfilment.helpers import order_place, product_of

Partner = get_model("partner", "Partner")

pytestmark = pytest.mark.django_db


def test_the_producer_admin_offers_the_registered_modules_and_refuses_any_other(client, demo):
    # given platform staff on a producer's admin page
    client.force_login(get_user_model().objects.get(email="admin@example.com"))
    producer = Partner.objects.get(slug="rose-du-dades")
    url = reverse("admin:partner_partner_change", args=[producer.pk])
    form = client.get(url).context["adminform"].form
    data = form_post_data(form, files=("logo",))

    # when they save an unknown module, then a registered one
    refused = client.post(url, {**data, "fulfilment_module": "carrier_pigeon"})
    saved = client.post(url, {**data, "fulfilment_module": Pickup.name})

    # then the choices are the registered modules, the unknown one is refused, the other saved
    assert {value for value, __ in form.fields["fulfilment_module"].choices if value} == {
        SelfShip.name,
        Pickup.name,
        GieHub.name,
    }
    assert refused.status_code == 200
    assert "carrier_pigeon" in str(refused.context["adminform"].form.errors["fulfilment_module"])
    assert saved.status_code == 302
    assert Partner.objects.get(pk=producer.pk).fulfilment_module == Pickup.name


def test_the_service_refuses_an_unknown_module_by_name(demo):
    producer = Partner.objects.get(slug="rose-du-dades")

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        producer_fulfilment_module_set(producer=producer, name="carrier_pigeon")

    assert refused.value.message_dict == {
        "fulfilment_module": ["No fulfilment module is registered as “carrier_pigeon”."]
    }
    assert Partner.objects.get(pk=producer.pk).fulfilment_module == SelfShip.name


def test_a_new_producer_ships_itself_until_told_otherwise(demo):
    assert Partner.objects.create(name="Coopérative Tiwizi").fulfilment_module == SelfShip.name


def test_a_pickup_parcel_is_handed_over_without_a_carrier(demo):
    # given a producer switched to pickup, and a packed order of its product
    producer = Partner.objects.get(slug="rose-du-dades")
    producer_fulfilment_module_set(producer=producer, name=Pickup.name)
    fulfilment = order_place([(product_of("rose-du-dades"), 1)]).fulfilments.get()
    fulfilment = producer_fulfilment_pack(fulfilment=producer_fulfilment_accept(fulfilment=fulfilment))

    # when it is handed over with no carrier named
    shipped = producer_fulfilment_ship(fulfilment=fulfilment, carrier="")

    # then it is shipped
    assert shipped.status == shipped.Status.SHIPPED and shipped.pickup_code
