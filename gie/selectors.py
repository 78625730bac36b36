from django.shortcuts import get_object_or_404

from gie.models import Gie


def gie_get_for_public(*, slug: str) -> Gie:
    return get_object_or_404(Gie.objects.prefetch_related("members"), slug=slug)


def gie_members(*, gie: Gie):
    return gie.members.order_by("name")


def gies_coordinated_by(*, user):
    if not user.is_authenticated:
        return Gie.objects.none()
    return Gie.objects.filter(coordinators=user)
