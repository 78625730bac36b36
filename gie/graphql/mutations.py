"""Coordinator steps on collection rounds: the dashboard's form and service, Saleor-style errors."""

import graphene
from django.core.exceptions import ValidationError

from core.graphql.errors import InputError, django_errors, form_input_errors, input_errors, pk_from_id
from gie import selectors, services
from gie.forms import RoundOpenForm
from gie.graphql.types import CollectionRoundType

OPEN_FIELDS = {
    "name": "name",
    "collection_date": "collectionDate",
    "members": "memberIds",
    "member_ids": "memberIds",
}


class CollectionRoundOpen(graphene.Mutation):
    """Open a round that takes every pending hub-routed line of these members not yet in a round."""

    class Arguments:
        slug = graphene.String(required=True, description="The GIE's slug.")
        name = graphene.String(required=True)
        collection_date = graphene.Date(required=True)
        member_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    round = graphene.Field(CollectionRoundType)
    errors = graphene.List(graphene.NonNull(InputError), required=True)

    @classmethod
    @django_errors
    def mutate(cls, root, info, slug, name, collection_date, member_ids):
        gie = selectors.gie_get_for_coordinator_or_deny(user=info.context.user, slug=slug)
        form = RoundOpenForm(
            {"name": name, "collection_date": collection_date, "members": member_ids}, gie=gie
        )
        if not form.is_valid():
            return cls(round=None, errors=form_input_errors(form, fields=OPEN_FIELDS))
        try:
            round_ = services.collection_round_open(
                gie=gie,
                name=form.cleaned_data["name"],
                collection_date=form.cleaned_data["collection_date"],
                member_ids=[member.pk for member in form.cleaned_data["members"]],
                actor=info.context.user,
            )
        except ValidationError as exc:
            return cls(round=None, errors=input_errors(exc, fields=OPEN_FIELDS))
        return cls(round=round_, errors=[])


class CollectionRoundClose(graphene.Mutation):
    class Arguments:
        slug = graphene.String(required=True, description="The GIE's slug.")
        round_id = graphene.ID(required=True)

    round = graphene.Field(CollectionRoundType)
    errors = graphene.List(graphene.NonNull(InputError), required=True)

    @classmethod
    @django_errors
    def mutate(cls, root, info, slug, round_id):
        gie = selectors.gie_get_for_coordinator_or_deny(user=info.context.user, slug=slug)
        round_ = selectors.round_get(gie=gie, pk=pk_from_id(round_id))
        try:
            round_ = services.collection_round_close(round_=round_)
        except ValidationError as exc:
            return cls(round=None, errors=input_errors(exc, fields={}))
        return cls(round=round_, errors=[])
