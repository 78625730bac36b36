import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import translation

from core.models import NotificationSent
from fulfilment.services import producer_fulfilment_accept, producer_fulfilment_pack, producer_fulfilment_ship
from fulfilment.tasks import notification_for_shipment, notifications_for_new_order
from tests.fulfilment.helpers import order_place, product_of

pytestmark = pytest.mark.django_db


class RefusingBackend(EmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


@pytest.fixture
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


def _place_with_callbacks(capture, items):
    with capture(execute=True):
        return order_place(items)


def test_placement_mails_the_customer_each_producer_and_the_gie_coordinator(
    locmem_mail, django_capture_on_commit_callbacks
):
    # given saffron (self_ship) and dates (gie_hub member of GIE Mawrout Bladi)
    items = [(product_of("souktana-safran-taliouine"), 1), (product_of("nakhil-aoufous"), 2)]

    # when
    order = _place_with_callbacks(django_capture_on_commit_callbacks, items)

    # then
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {
        "nadia@example.com",
        "saffron@example.com",
        "dates@example.com",
        "gie@example.com",
    }
    customer_mail = by_recipient["nadia@example.com"].body
    assert str(order.number) in customer_mail
    assert "Coopérative Souktana du Safran" in customer_mail and "Coopérative Nakhil Aoufous" in customer_mail
    assert "Dattes" in by_recipient["gie@example.com"].body
    assert "Safran" not in by_recipient["gie@example.com"].body  # self_ship lines are not the hub's
    assert "Safran" not in by_recipient["dates@example.com"].body


def test_a_retried_task_does_not_send_twice(locmem_mail, django_capture_on_commit_callbacks):
    order = _place_with_callbacks(
        django_capture_on_commit_callbacks, [(product_of("tifawin-argan-tiznit"), 1)]
    )
    sent = len(mail.outbox)

    notifications_for_new_order.apply(args=[order.pk])

    assert sent == 2
    assert len(mail.outbox) == sent
    assert NotificationSent.objects.count() == sent


def test_a_failing_mail_server_does_not_fail_the_order_and_a_later_run_sends(
    settings, django_capture_on_commit_callbacks
):
    # given a mail server that is down
    settings.EMAIL_BACKEND = "tests.fulfilment.test_notifications.RefusingBackend"

    # when the order is placed
    order = _place_with_callbacks(
        django_capture_on_commit_callbacks, [(product_of("tifawin-argan-tiznit"), 1)]
    )

    # then it exists, and nothing is recorded as sent
    assert order.pk and order.fulfilments.count() == 1
    assert not NotificationSent.objects.exists()

    # and once the server is back, the retried task sends everything once
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    notifications_for_new_order.apply(args=[order.pk])
    assert len(mail.outbox) == 2


def test_each_shipment_mails_the_customer_with_carrier_and_tracking(
    locmem_mail, django_capture_on_commit_callbacks
):
    order = order_place(
        [(product_of("souktana-safran-taliouine"), 1), (product_of("tifawin-argan-tiznit"), 1)]
    )
    fulfilment = order.fulfilments.get(partner__slug="tifawin-argan-tiznit")
    producer_fulfilment_accept(fulfilment=fulfilment)
    producer_fulfilment_pack(fulfilment=fulfilment)

    with django_capture_on_commit_callbacks(execute=True):
        producer_fulfilment_ship(fulfilment=fulfilment, carrier="Amana", tracking_number="RR123MA")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nadia@example.com"]
    assert "RR123MA" in mail.outbox[0].body and "Amana" in mail.outbox[0].body
    notification_for_shipment.apply(args=[fulfilment.pk])
    assert len(mail.outbox) == 1


def test_the_shipment_mail_is_in_the_language_the_customer_ordered_in(
    locmem_mail, django_capture_on_commit_callbacks
):
    # given an order placed on the Arabic storefront
    order = order_place([(product_of("tifawin-argan-tiznit"), 1)], language="ar")
    fulfilment = order.fulfilments.get()
    producer_fulfilment_accept(fulfilment=fulfilment)
    producer_fulfilment_pack(fulfilment=fulfilment)

    # when the producer ships it, from the dashboard in French
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        producer_fulfilment_ship(fulfilment=fulfilment, carrier="Amana", tracking_number="RR123MA")

    (sent,) = mail.outbox
    assert sent.subject == f"شحن {fulfilment.partner} جزءًا من طلبك رقم {order.number}"
    assert sent.body.startswith(f"شحن {fulfilment.partner} الجزء الخاص به من طلبك رقم {order.number}.")


def test_no_mail_is_queued_when_the_placement_rolls_back(locmem_mail, django_capture_on_commit_callbacks):
    from oscar.apps.order.exceptions import UnableToPlaceOrder
    from oscar.core.loading import get_model

    Lot = get_model("partner", "Lot")
    product = product_of("zitouna-ouazzane")
    Lot.objects.filter(stockrecord__product=product).update(quantity=0)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(UnableToPlaceOrder, match="Picholine"):
            order_place([(product, 1)])

    assert callbacks == []
    assert mail.outbox == []


def test_an_unreachable_broker_neither_fails_the_committed_order_nor_loses_its_emails(
    locmem_mail, django_capture_on_commit_callbacks, monkeypatch
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("redis unreachable")

    monkeypatch.setattr(notifications_for_new_order, "delay", broker_down)

    order = _place_with_callbacks(
        django_capture_on_commit_callbacks, [(product_of("tifawin-argan-tiznit"), 1)]
    )

    # the task ran in the web process instead (core.jobs), each e-mail once
    assert order.fulfilments.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([order.email, "argan@example.com"])


def test_a_producer_that_rejects_its_part_tells_the_customer_what_will_not_come(
    locmem_mail, django_capture_on_commit_callbacks
):
    from fulfilment.services import producer_fulfilment_reject

    # given a cash-on-delivery order of two producers
    order = order_place(
        [(product_of("souktana-safran-taliouine"), 1), (product_of("tifawin-argan-tiznit"), 2)]
    )
    argan = order.fulfilments.get(partner__slug="tifawin-argan-tiznit")

    # when the argan cooperative rejects its part
    with django_capture_on_commit_callbacks(execute=True):
        argan = producer_fulfilment_reject(fulfilment=argan, reason="Rupture de stock")

    # then the customer reads, in French, what will not come and that it is not to be paid
    (sent,) = mail.outbox
    line = order.lines.get(partner__slug="tifawin-argan-tiznit")
    assert sent.to == ["nadia@example.com"]
    assert (
        sent.subject
        == f"Coopérative Tifawin d'Argan ne peut pas envoyer sa partie de votre commande {order.number}"
    )
    assert f"- 2 × {line.title}" in sent.body and "Rupture de stock" in sent.body
    assert "Vous ne paierez pas ces" in sent.body and str(argan.refund_due).replace(".", ",") in sent.body
    assert "Souktana" not in sent.body


def test_a_short_shipment_mail_lists_the_units_that_do_not_come(
    locmem_mail, django_capture_on_commit_callbacks
):
    order = order_place([(product_of("tifawin-argan-tiznit"), 3)])
    fulfilment = order.fulfilments.get()
    line = order.lines.get()
    producer_fulfilment_accept(fulfilment=fulfilment)
    producer_fulfilment_pack(fulfilment=fulfilment)

    with django_capture_on_commit_callbacks(execute=True):
        producer_fulfilment_ship(fulfilment=fulfilment, carrier="Amana", quantities={line.pk: 2})

    (sent,) = mail.outbox
    assert "Absents de ce colis" in sent.body and f"- 1 × {line.title}" in sent.body
