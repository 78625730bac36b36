import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from oscar.core.loading import get_model

from gie.models import Gie
from gie.selectors import gie_members, gies_coordinated_by
from gie.services import gie_member_add, gie_member_remove

Partner = get_model("partner", "Partner")

pytestmark = pytest.mark.django_db


def test_mawrout_bladi_groups_the_tafilalet_cooperatives_only(demo):
    gie = Gie.objects.get(slug="mawrout-bladi")
    members = set(gie_members(gie=gie).values_list("slug", flat=True))
    assert members == {"nakhil-aoufous", "al-wahda-rissani", "compost-vert-erfoud"}


def test_membership_can_be_added_and_removed(demo):
    gie = Gie.objects.get(slug="mawrout-bladi")
    rose = Partner.objects.get(slug="rose-du-dades")

    gie_member_add(gie=gie, producer=rose)
    assert gie.members.filter(pk=rose.pk).exists()
    assert gie in rose.gies.all()

    gie_member_remove(gie=gie, producer=rose)
    assert not gie.members.filter(pk=rose.pk).exists()


def test_a_gie_cannot_be_its_own_member(demo):
    gie = Gie.objects.get(slug="mawrout-bladi")
    gie.partner = Partner.objects.create(
        name="GIE Mawrout Bladi (vente)", slug="gie-mawrout-vente", kind="gie"
    )
    gie.save()
    with pytest.raises(ValidationError):
        gie_member_add(gie=gie, producer=gie.partner)


def test_coordinators_see_only_their_gie(demo, django_user_model):
    coordinator = django_user_model.objects.get(email="gie@example.com")
    other = Gie.objects.create(name="GIE Souss Argan", slug="souss-argan")
    assert list(gies_coordinated_by(user=coordinator)) == [Gie.objects.get(slug="mawrout-bladi")]
    assert other not in gies_coordinated_by(user=coordinator)


def test_public_gie_page_lists_its_members(client, demo):
    response = client.get(reverse("gie:detail", kwargs={"slug": "mawrout-bladi"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Coopérative Nakhil Aoufous" in page and "Coopérative Compost Vert de l&#x27;Oasis" in page
    assert "Coopérative Souktana du Safran" not in page


def test_member_page_links_back_to_its_gie(client, demo):
    response = client.get(reverse("cooperatives:detail", kwargs={"slug": "nakhil-aoufous"}))
    assert reverse("gie:detail", kwargs={"slug": "mawrout-bladi"}) in response.content.decode()
