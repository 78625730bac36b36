"""Coordinator steps on collection rounds: the dashboard's form and service, Saleor-style errors."""

import graphene
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from core.graphql.errors import (
    django_errors,
    error_type,
    form_input_errors,
    input_error,
    input_errors,
    pk_from_id,
    pk_or_raw,
)
from gie import selectors, services
from gie.forms import RoundOpenForm, ShipmentForm
from gie.graphql.types import CollectionRoundType, ConsolidatedShipmentType

GieError = error_type(
    "Gie",
    (
        "INVALID_PK_VALUE",
        "NOT_MEMBER",
        "ALREADY_CLOSED",
        "SHORTFALL_UNCONFIRMED",
        "NOT_IN_ROUND",
        "ALREADY_RECEIVED",
        "OUT_OF_RANGE",
    ),
)
RECEIVE_FIELDS = {"received": "lines", "confirm_shortfall": "confirmShortfall"}

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
    errors = graphene.List(graphene.NonNull(GieError), required=True)

    @classmethod
    @django_errors
    def mutate(cls, root, info, slug, name, collection_date, member_ids):
        gie = selectors.gie_get_for_coordinator_or_deny(user=info.context.user, slug=slug)
        members = [pk_or_raw(member_id, "Producer") for member_id in member_ids]
        form = RoundOpenForm({"name": name, "collection_date": collection_date, "members": members}, gie=gie)
        if not form.is_valid():
            return cls(round=None, errors=form_input_errors(form, fields=OPEN_FIELDS, error_class=GieError))
        try:
            round_ = services.collection_round_open(
                gie=gie,
                name=form.cleaned_data["name"],
                collection_date=form.cleaned_data["collection_date"],
                member_ids=[member.pk for member in form.cleaned_data["members"]],
                actor=info.context.user,
            )
        except ValidationError as exc:
            return cls(round=None, errors=input_errors(exc, fields=OPEN_FIELDS, error_class=GieError))
        return cls(round=round_, errors=[])


class CollectionRoundClose(graphene.Mutation):
    class Arguments:
        slug = graphene.String(required=True, description="The GIE's slug.")
        round_id = graphene.ID(required=True)

    round = graphene.Field(CollectionRoundType)
    errors = graphene.List(graphene.NonNull(GieError), required=True)

    @classmethod
    @django_errors
    def mutate(cls, root, info, slug, round_id):
        gie = selectors.gie_get_for_coordinator_or_deny(user=info.context.user, slug=slug)
        round_ = selectors.round_get(gie=gie, pk=pk_from_id(round_id, "CollectionRound"))
        try:
            round_ = services.collection_round_close(round_=round_)
        except ValidationError as exc:
            return cls(round=None, errors=input_errors(exc, fields={}, error_class=GieError))
        return cls(round=round_, errors=[])


class RoundLineReceivedInput(graphene.InputObjectType):
    round_line_id = graphene.ID(required=True)
    quantity_received = graphene.Int(required=True, description="Units the member handed over.")


class CollectionRoundReceive(graphene.Mutation):
    """Record what members handed over at the hub. Units missing are cancelled (refunded on a card,
    not collected on delivery) only with `confirmShortfall: true`; without it a shortfall comes back
    as a SHORTFALL_UNCONFIRMED error and nothing is written."""

    class Arguments:
        slug = graphene.String(required=True, description="The GIE's slug.")
        round_id = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(RoundLineReceivedInput), required=True)
        confirm_shortfall = graphene.Boolean(default_value=False)

    round = graphene.Field(CollectionRoundType)
    errors = graphene.List(graphene.NonNull(GieError), required=True)

    @classmethod
    @django_errors
    def mutate(cls, root, info, slug, round_id, lines, confirm_shortfall=False):
        gie = selectors.gie_get_for_coordinator_or_deny(user=info.context.user, slug=slug)
        round_ = selectors.round_get(gie=gie, pk=pk_from_id(round_id, "CollectionRound"))
        received = {}
        for line in lines:
            try:
                received[pk_from_id(line.round_line_id, "RoundLine")] = line.quantity_received
            except Http404:
                message = _("These lines are not part of the round: %s") % [line.round_line_id]
                error = input_error(message, code="INVALID", field="lines", error_class=GieError)
                return cls(errors=[error])
        if not received:
            error = input_error(
                _("Enter the quantities received."), code="REQUIRED", field="lines", error_class=GieError
            )
            return cls(errors=[error])
        try:
            services.round_lines_receive(
                round_=round_,
                received=received,
                actor=info.context.user,
                shortfall_confirmed=confirm_shortfall,
            )
        except ValidationError as exc:
            return cls(errors=input_errors(exc, fields=RECEIVE_FIELDS, error_class=GieError))
        return cls(round=selectors.round_get(gie=gie, pk=round_.pk), errors=[])


class ConsolidatedShipmentCreate(graphene.Mutation):
    """Ship every open hub fulfilment of one order in one parcel, once the hub received all its units."""

    class Arguments:
        slug = graphene.String(required=True, description="The GIE's slug.")
        order_number = graphene.String(required=True)
        carrier = graphene.String(required=True)
        tracking_number = graphene.String()

    shipment = graphene.Field(ConsolidatedShipmentType)
    errors = graphene.List(graphene.NonNull(GieError), required=True)

    @classmethod
    @django_errors
    def mutate(cls, root, info, slug, order_number, carrier, tracking_number=""):
        gie = selectors.gie_get_for_coordinator_or_deny(user=info.context.user, slug=slug)
        selectors.order_hub_fulfilments(gie=gie, number=order_number)  # 404 for another GIE's order
        form = ShipmentForm({"carrier": carrier, "tracking_number": tracking_number or ""})
        fields = {"carrier": "carrier", "tracking_number": "trackingNumber"}
        if not form.is_valid():
            return cls(errors=form_input_errors(form, fields=fields, error_class=GieError))
        try:
            shipment = services.consolidated_shipment_create(
                gie=gie, order_number=order_number, actor=info.context.user, **form.cleaned_data
            )
        except ValidationError as exc:
            return cls(errors=input_errors(exc, fields=fields, error_class=GieError))
        return cls(shipment=shipment, errors=[])
