"""Types of the GIE API: the public GIE, and what its coordinators read (same selectors as the dashboard)."""

import datetime
from dataclasses import dataclass
from functools import cached_property

import graphene
from django.db.models import Prefetch
from graphene import relay
from graphene_django import DjangoObjectType
from graphql import GraphQLError
from oscar.core.loading import get_model

from cooperatives.graphql.types import ProducerType
from core.graphql.batch import batched, page_batch
from core.graphql.connections import connection_field, connection_for, paginate
from core.graphql.errors import INVALID, django_errors, pk_from_id, pk_or_raw
from core.graphql.types import Money, global_id, to_cents
from fulfilment.graphql.types import FulfilmentState, SettlementStatementConnection
from fulfilment.models import FulfilmentLine
from gie import selectors
from gie.forms import ConsolidatedFilterForm
from gie.models import CollectionRound, ConsolidatedShipment, Gie, RoundLine

Partner = get_model("partner", "Partner")
RoundStatus = graphene.Enum.from_enum(CollectionRound.Status, name="CollectionRoundStatus")


class GieType(DjangoObjectType):
    members = graphene.List(graphene.NonNull(ProducerType), required=True, description="By name.")

    class Meta:
        model = Gie
        name = "Gie"
        interfaces = (relay.Node,)
        fields = ("id", "name", "slug", "description", "hub_city", "members")

    @classmethod
    def get_node(cls, info, id):
        return Gie.objects.prefetch_related(gie_members_prefetch()).filter(pk=id).first()

    def resolve_members(self, info):
        return self.members.all()


def _coordinated(info, queryset, gie_lookup: str):
    """Rows of `queryset` that belong to a GIE the user coordinates (any GIE for platform staff)."""
    gies = selectors.gies_coordinated_by(user=info.context.user)
    return queryset.filter(**{f"{gie_lookup}__in": gies})


def gie_members_prefetch() -> Prefetch:
    return Prefetch("members", queryset=Partner.objects.order_by("name"))


class ConsolidatedLineType(DjangoObjectType):
    """An open hub-routed line of a member, with what is still to collect of it."""

    order_number = graphene.String(required=True)
    date_placed = graphene.DateTime(required=True)
    member = graphene.Field(ProducerType, required=True)
    product_id = graphene.ID()
    title = graphene.String(required=True)
    sku = graphene.String()
    state = graphene.Field(FulfilmentState, required=True)
    destination_country = graphene.String()
    destination_city = graphene.String()
    units_open = graphene.Int(required=True)
    amount_open = graphene.Field(Money, required=True, description="In the order's currency.")
    round_id = graphene.ID(description="The collection round that took the line, if any.")
    round_name = graphene.String()

    class Meta:
        model = FulfilmentLine
        name = "ConsolidatedLine"
        interfaces = (relay.Node,)
        fields = ("id", "quantity", "quantity_shipped", "quantity_cancelled")
        skip_registry = True

    @classmethod
    def get_node(cls, info, id):
        for gie in selectors.gies_coordinated_by(user=info.context.user):
            line = selectors.consolidated_lines(gie=gie).filter(pk=id).first()
            if line is not None:
                return line
        return None

    def resolve_order_number(self, info):
        return self.fulfilment.order.number

    def resolve_date_placed(self, info):
        return self.fulfilment.order.date_placed

    def resolve_member(self, info):
        return self.fulfilment.partner

    def resolve_product_id(self, info):
        return global_id("Product", self.line.product_id)

    def resolve_title(self, info):
        return self.line.title

    def resolve_sku(self, info):
        return self.line.partner_sku or None

    def resolve_state(self, info):
        return self.fulfilment.status

    def resolve_destination_country(self, info):
        address = self.fulfilment.order.shipping_address
        return address.country_id if address else None

    def resolve_destination_city(self, info):
        address = self.fulfilment.order.shipping_address
        return (address.line4 or None) if address else None

    def resolve_units_open(self, info):
        return self.units_open

    def resolve_amount_open(self, info):
        return Money.of(self.amount_open, self.fulfilment.currency)

    def _round(self):
        round_line = getattr(self, "round_line", None)  # select_related; None when no round took it
        return round_line.round if round_line else None

    def resolve_round_id(self, info):
        round_ = ConsolidatedLineType._round(self)
        return global_id("CollectionRound", round_.pk) if round_ else None

    def resolve_round_name(self, info):
        round_ = ConsolidatedLineType._round(self)
        return round_.name if round_ else None


ConsolidatedLineConnection = connection_for(ConsolidatedLineType)


class ProductTotal(graphene.ObjectType):
    product_id = graphene.ID()
    title = graphene.String(required=True)
    units = graphene.Int(required=True)
    amount = graphene.Decimal(
        required=True, description="Sum of the lines' open amounts in MAD, each at its order's recorded rate."
    )


class MemberTotal(graphene.ObjectType):
    member_id = graphene.ID(required=True)
    member_name = graphene.String(required=True)
    units = graphene.Int(required=True)
    amount = graphene.Decimal(
        required=True, description="Sum of the lines' open amounts in MAD, each at its order's recorded rate."
    )


@dataclass
class Consolidated:
    queryset: object

    @cached_property
    def totals(self) -> dict:
        return selectors.consolidated_totals(lines=self.queryset)

    @cached_property
    def count(self) -> int:
        return self.queryset.count()


class ConsolidatedViewType(graphene.ObjectType):
    """The consolidated view for one set of filters: its lines page by page, and the totals of all."""

    total_count = graphene.Int(required=True)
    lines = connection_field(ConsolidatedLineConnection)
    totals_by_product = graphene.List(graphene.NonNull(ProductTotal), required=True)
    totals_by_member = graphene.List(graphene.NonNull(MemberTotal), required=True)

    class Meta:
        name = "ConsolidatedView"

    def resolve_total_count(root, info):
        return root.count

    def resolve_lines(root, info, **page):
        return paginate(
            root.queryset, connection_type=ConsolidatedLineConnection, count=lambda: root.count, **page
        )

    def resolve_totals_by_product(root, info):
        return [
            ProductTotal(
                product_id=global_id("Product", row["line__product_id"]),
                title=row["line__title"],
                units=row["units"],
                amount=to_cents(row["amount"]),
            )
            for row in root.totals["by_product"]
        ]

    def resolve_totals_by_member(root, info):
        return [
            MemberTotal(
                member_id=global_id("Producer", row["fulfilment__partner_id"]),
                member_name=row["fulfilment__partner__name"],
                units=row["units"],
                amount=to_cents(row["amount"]),
            )
            for row in root.totals["by_member"]
        ]


class RoundMemberSummary(graphene.ObjectType):
    member_id = graphene.ID(required=True)
    member_name = graphene.String(required=True)
    units = graphene.Int(required=True, description="Units to collect from the member.")
    received = graphene.Int(description="Units the hub received; null until it records them.")


class CollectionRoundType(DjangoObjectType):
    status = graphene.Field(RoundStatus, required=True)
    members = graphene.List(graphene.NonNull(ProducerType), required=True)
    members_summary = graphene.List(graphene.NonNull(RoundMemberSummary), required=True)

    class Meta:
        model = CollectionRound
        name = "CollectionRound"
        interfaces = (relay.Node,)
        fields = ("id", "name", "collection_date", "date_created", "date_closed", "members")

    @classmethod
    def get_node(cls, info, id):
        return _coordinated(info, CollectionRound.objects.filter(pk=id), "gie").first()

    def resolve_status(self, info):
        return self.status

    def resolve_members(self, info):
        return self.members.all()

    def resolve_members_summary(self, info):
        rows = batched(
            self,
            name="members_summary",
            load_one=lambda round_: selectors.round_members_summary(round_=round_),
            default=[],
        )
        return [
            RoundMemberSummary(
                member_id=global_id("Producer", row["partner_id"]),
                member_name=row["partner__name"],
                units=row["units"],
                received=row["received"],
            )
            for row in rows
        ]


class RoundLineType(DjangoObjectType):
    member = graphene.Field(ProducerType, required=True)
    order_number = graphene.String(required=True)
    title = graphene.String(required=True)

    class Meta:
        model = RoundLine
        name = "RoundLine"
        interfaces = (relay.Node,)
        fields = ("id", "quantity", "quantity_received", "date_received")

    @classmethod
    def get_node(cls, info, id):
        return _coordinated(info, RoundLine.objects.filter(pk=id), "round__gie").first()

    def resolve_member(self, info):
        return self.partner

    def resolve_order_number(self, info):
        return self.fulfilment_line.fulfilment.order.number

    def resolve_title(self, info):
        return self.fulfilment_line.line.title


class ConsolidatedShipmentType(DjangoObjectType):
    """One parcel the hub shipped for one order, holding every member's part of it."""

    order_number = graphene.String(required=True)
    fulfilments = graphene.List(graphene.NonNull("fulfilment.graphql.types.FulfilmentType"), required=True)

    class Meta:
        model = ConsolidatedShipment
        name = "ConsolidatedShipment"
        interfaces = (relay.Node,)
        fields = ("id", "carrier", "tracking_number", "date_created")

    @classmethod
    def get_node(cls, info, id):
        return _coordinated(info, ConsolidatedShipment.objects.filter(pk=id), "gie").first()

    def resolve_order_number(self, info):
        return self.order.number

    def resolve_fulfilments(self, info):
        return self.fulfilments.select_related("order", "partner").order_by("pk")


CollectionRoundConnection = connection_for(CollectionRoundType)
RoundLineConnection = connection_for(RoundLineType)


class GieDashboardType(DjangoObjectType):
    """What a coordinator of this GIE reads on the dashboard; every field goes through gie.selectors."""

    members = graphene.List(graphene.NonNull(ProducerType), required=True)
    consolidated = graphene.Field(
        ConsolidatedViewType,
        required=True,
        member_id=graphene.ID(),
        product_id=graphene.ID(),
        state=FulfilmentState(),
        destination=graphene.String(description="Country code or city."),
        date_from=graphene.Date(),
        date_to=graphene.Date(),
        description="Open hub-routed lines of members, with the consolidated dashboard's filters.",
    )
    rounds = connection_field(CollectionRoundConnection, description="Collection rounds, newest first.")
    round = graphene.Field(CollectionRoundType, id=graphene.ID(required=True))
    round_lines = connection_field(RoundLineConnection, round_id=graphene.ID(required=True))
    member_statements = connection_field(
        SettlementStatementConnection,
        description="Statements of the members and of the GIE itself, newest period first (read only).",
    )

    id = graphene.ID(required=True, description="The GIE's `node` id.")

    class Meta:
        model = Gie
        name = "GieDashboard"
        fields = ("name", "slug", "hub_city")
        skip_registry = True

    def resolve_id(self, info):
        return global_id("Gie", self.pk)

    def resolve_members(self, info):
        return selectors.gie_members(gie=self)

    def resolve_consolidated(
        self,
        info,
        member_id=None,
        product_id=None,
        state=None,
        destination=None,
        date_from: datetime.date | None = None,
        date_to: datetime.date | None = None,
    ):
        data = {
            "member": pk_or_raw(member_id, "Producer"),
            "product": pk_or_raw(product_id, "Product"),
            "status": getattr(state, "value", state),
            "destination": destination,
            "date_from": date_from,
            "date_to": date_to,
        }
        form = ConsolidatedFilterForm(data, members=selectors.gie_members(gie=self))
        if not form.is_valid():
            fields = {"member": "memberId", "product": "productId", "status": "state"}
            problems = "; ".join(
                f"{fields.get(name, name)}: {' '.join(errors)}" for name, errors in form.errors.items()
            )
            raise GraphQLError(f"Invalid filters — {problems}", extensions={"code": INVALID})
        return Consolidated(queryset=selectors.consolidated_lines(gie=self, **form.filters()))

    def resolve_rounds(self, info, **page):
        def summaries(rounds):
            return page_batch(
                rounds,
                name="members_summary",
                load=lambda rounds: selectors.rounds_members_summaries(rounds=rounds),
            )

        return paginate(
            selectors.rounds_of(gie=self),
            connection_type=CollectionRoundConnection,
            prepare=summaries,
            **page,
        )

    @django_errors
    def resolve_round(self, info, id):
        return selectors.round_get(gie=self, pk=pk_from_id(id, "CollectionRound"))

    @django_errors
    def resolve_round_lines(self, info, round_id, **page):
        round_ = selectors.round_get(gie=self, pk=pk_from_id(round_id, "CollectionRound"))
        return paginate(
            selectors.round_lines_to_receive(round_=round_), connection_type=RoundLineConnection, **page
        )

    def resolve_member_statements(self, info, **page):
        return paginate(_member_statements(self), connection_type=SettlementStatementConnection, **page)


def _member_statements(gie):
    return selectors.member_settlements(gie=gie).order_by("-period_start", "partner__name", "pk")
