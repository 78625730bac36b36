"""A producer's steps on its own fulfilments: the dashboard's forms and services, Saleor-style errors.

Who works for no producer is refused (PERMISSION_DENIED); another producer's fulfilment id looks like
no id (NOT_FOUND), as on the dashboard."""

import graphene
from django.http import Http404
from django.utils.translation import gettext as _

from cooperatives.selectors import producer_for_user
from core.graphql.errors import django_errors, error_type, form_input_errors, input_error, pk_from_id
from fulfilment import services
from fulfilment.forms import ReasonForm, ShipForm
from fulfilment.graphql.types import FulfilmentType
from fulfilment.selectors import fulfilment_get_for_producer_staff, fulfilment_lines_with_lots

FulfilmentError = error_type("Fulfilment", ("ILLEGAL_TRANSITION", "NOTHING_TO_SHIP"))
SHIP_FIELDS = {"carrier": "carrier", "tracking_number": "trackingNumber"}


class ShipLineInput(graphene.InputObjectType):
    fulfilment_line_id = graphene.ID(required=True, description="One of the fulfilment's `lines`.")
    quantity = graphene.Int(required=True, description="Units that actually go; fewer are refunded.")


class _FulfilmentStep(graphene.Mutation):
    """One step on one of the user's producer's fulfilments."""

    fulfilment = graphene.Field(FulfilmentType)
    errors = graphene.List(graphene.NonNull(FulfilmentError), required=True)

    class Meta:
        abstract = True

    @classmethod
    def step(cls, fulfilment, user, **arguments):
        raise NotImplementedError

    @classmethod
    @django_errors
    def mutate(cls, root, info, id, **arguments):
        user = info.context.user
        producer_for_user(user=user)  # PermissionDenied for anyone who works for no producer
        fulfilment = fulfilment_get_for_producer_staff(user=user, pk=pk_from_id(id, "Fulfilment"))
        try:
            result = cls.step(fulfilment, user, **arguments)
        except services.IllegalTransition as exc:
            return cls(errors=[input_error(str(exc), code="ILLEGAL_TRANSITION", error_class=FulfilmentError)])
        except services.FulfilmentInputError as exc:
            return cls(errors=[input_error(str(exc), code="INVALID", error_class=FulfilmentError)])
        if isinstance(result, list):  # form errors
            return cls(errors=result)
        return cls(fulfilment=result, errors=[])


class FulfilmentAccept(_FulfilmentStep):
    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def step(cls, fulfilment, user):
        return services.producer_fulfilment_accept(fulfilment=fulfilment, actor=user)


class FulfilmentPack(_FulfilmentStep):
    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def step(cls, fulfilment, user):
        return services.producer_fulfilment_pack(fulfilment=fulfilment, actor=user)


class FulfilmentShip(_FulfilmentStep):
    """Ship the packed parcel with a carrier and tracking number; `lines` ships less on a shortfall
    (the missing units are cancelled and refunded)."""

    class Arguments:
        id = graphene.ID(required=True)
        carrier = graphene.String(required=True)
        tracking_number = graphene.String()
        lines = graphene.List(graphene.NonNull(ShipLineInput))

    @classmethod
    def step(cls, fulfilment, user, carrier, tracking_number="", lines=None):
        open_lines = [fl for fl in fulfilment_lines_with_lots(fulfilment=fulfilment) if fl.quantity_open]
        data = {"carrier": carrier, "tracking_number": tracking_number or ""}
        order_line_of = {fl.pk: fl.line_id for fl in open_lines}
        for line in lines or []:
            try:
                pk = pk_from_id(line.fulfilment_line_id, "FulfilmentLine")
            except Http404:
                pk = None
            if pk not in order_line_of:
                message = _("This line has nothing left to ship in this fulfilment.")
                return [input_error(message, code="INVALID", field="lines", error_class=FulfilmentError)]
            data[f"qty_{order_line_of[pk]}"] = line.quantity
        form = ShipForm(data, fulfilment_lines=open_lines)
        if not form.is_valid():
            fields = {**SHIP_FIELDS, **{f"qty_{fl.line_id}": "lines" for fl in open_lines}}
            return form_input_errors(form, fields=fields, error_class=FulfilmentError)
        return services.producer_fulfilment_ship(
            fulfilment=fulfilment,
            carrier=form.cleaned_data["carrier"],
            tracking_number=form.cleaned_data["tracking_number"],
            quantities=form.quantities(),
            actor=user,
        )


class FulfilmentDeliver(_FulfilmentStep):
    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def step(cls, fulfilment, user):
        return services.producer_fulfilment_deliver(fulfilment=fulfilment, actor=user)


class FulfilmentReject(_FulfilmentStep):
    """Refuse the order's part before shipping: its units go back into their lots, all is refunded."""

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String()

    @classmethod
    def step(cls, fulfilment, user, reason=""):
        form = ReasonForm({"reason": reason or ""})
        if not form.is_valid():
            return form_input_errors(form, fields={"reason": "reason"}, error_class=FulfilmentError)
        return services.producer_fulfilment_reject(
            fulfilment=fulfilment, reason=form.cleaned_data["reason"], actor=user
        )
