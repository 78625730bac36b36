"""Writes on GIEs: membership, coordinators, collection rounds, receiving and consolidated shipments."""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import job_stale_q, job_start
from core.notifications import task_queue_on_commit
from fulfilment import services as fulfilment_services
from fulfilment.models import FulfilmentLine, ProducerFulfilment, SettlementStatement
from fulfilment.settlements.runs import settlements_run_unchecked
from gie.models import CollectionRound, ConsolidatedShipment, ExportJob, Gie, RoundLine
from gie.selectors import OPEN_STATUSES, gatherable_lines, gie_members, gies_coordinated_by, hub_fulfilments
from gie.shortfalls import OrderShortfall, order_shortfalls_build

Status = ProducerFulfilment.Status


@transaction.atomic
def gie_member_add(*, gie: Gie, producer) -> None:
    if gie.partner_id and producer.pk == gie.partner_id:
        raise ValidationError(_("A GIE cannot be a member of itself."))
    gie.members.add(producer)


@transaction.atomic
def gie_member_remove(*, gie: Gie, producer) -> None:
    gie.members.remove(producer)


@transaction.atomic
def gie_coordinator_add(*, gie: Gie, user) -> None:
    gie.coordinators.add(user)


@transaction.atomic
def collection_round_open(
    *, gie: Gie, name: str, collection_date: datetime.date, member_ids, actor=None
) -> CollectionRound:
    """Open a round that takes every pending hub-routed line of these members not yet in a round."""
    from gie.tasks import purchase_orders_send

    name = (name or "").strip()
    member_ids = sorted({int(pk) for pk in member_ids})
    if not name:
        raise ValidationError({"name": ValidationError(_("Give the round a name."), code="required")})
    if not member_ids:
        raise ValidationError(
            {"member_ids": ValidationError(_("Choose at least one member."), code="required")}
        )
    # Rounds of one GIE open one after the other, so the second one sees what the first took.
    Gie.objects.select_for_update().get(pk=gie.pk)
    known = set(gie.members.filter(pk__in=member_ids).values_list("pk", flat=True))
    if known != set(member_ids):
        message = _("These producers are not members of the GIE: %s") % sorted(set(member_ids) - known)
        raise ValidationError({"member_ids": ValidationError(message, code="not_member")})
    round_ = CollectionRound.objects.create(
        gie=gie, name=name, collection_date=collection_date, created_by=actor
    )
    round_.members.set(member_ids)
    gatherable = gatherable_lines(gie=gie, member_ids=member_ids)
    # Lock the lines in pk order, then copy them into the round in one INSERT … SELECT.
    list(gatherable.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
    _round_lines_insert(round_=round_, lines=gatherable)
    partner_ids = (
        RoundLine.objects.filter(round=round_).order_by("partner_id").values_list("partner_id", flat=True)
    )
    for partner_id in sorted(set(partner_ids)):
        task_queue_on_commit(purchase_orders_send, round_.pk, partner_id)
    return round_


def _round_lines_insert(*, round_: CollectionRound, lines) -> None:
    select_sql, params = (
        lines.order_by("pk").values("pk", "fulfilment__partner_id", "units_open").query.sql_with_params()
    )
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(RoundLine._meta.get_field(name).column)
        for name in ("round", "fulfilment_line", "partner", "quantity")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(RoundLine._meta.db_table)} ({columns}) "
            f"SELECT %s, gathered.* FROM ({select_sql}) gathered",
            [round_.pk, *params],
        )


@transaction.atomic
def collection_round_close(*, round_: CollectionRound) -> CollectionRound:
    round_ = CollectionRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status == CollectionRound.Status.CLOSED:
        raise ValidationError(_("The round is already closed."), code="already_closed")
    round_.status = CollectionRound.Status.CLOSED
    round_.date_closed = timezone.now()
    round_.save(update_fields=["status", "date_closed"])
    return round_


class ShortfallUnconfirmed(ValidationError):
    """The quantities received leave units out; nothing is written until the coordinator confirms.

    `shortfalls` lists, per customer order, the short lines and what the customer will be told.
    """

    def __init__(self, shortfalls: list[OrderShortfall]):
        listed = "; ".join(
            _("“%(title)s” of %(member)s for order %(number)s: %(missing)d unit(s) missing")
            % {
                "title": rl.fulfilment_line.line.title,
                "member": rl.partner.name,
                "number": shortfall.order.number,
                "missing": missing,
            }
            for shortfall in shortfalls
            for rl, missing in shortfall.lines
        )
        super().__init__(
            _("Confirm the shortfall before it is recorded: %(lines)s"),
            code="shortfall_unconfirmed",
            params={"lines": listed},
        )
        self.shortfalls = shortfalls


@transaction.atomic
def round_lines_receive(
    *, round_: CollectionRound, received: dict[int, int], actor=None, shortfall_confirmed: bool = False
) -> list[RoundLine]:
    """Record the units each member handed over per round line.

    Units missing are cancelled: refunded on the card, or not collected on delivery. Because that
    cannot be undone, a receipt with missing units raises ShortfallUnconfirmed (and writes nothing)
    unless `shortfall_confirmed`.
    """
    from gie.tasks import shortfall_notify

    lines = list(
        RoundLine.objects.select_for_update(
            of=("self", "fulfilment_line", "fulfilment_line__line", "fulfilment_line__fulfilment")
        )
        .filter(round=round_, pk__in=list(received))
        .select_related("partner", "fulfilment_line__line", "fulfilment_line__fulfilment__order")
        .order_by("pk")
    )
    unknown = set(received) - {rl.pk for rl in lines}
    if unknown:
        raise ValidationError(
            _("These lines are not part of the round: %s") % sorted(unknown), code="not_in_round"
        )
    missing: dict[int, int] = {}
    for round_line in lines:
        quantity = received[round_line.pk]
        title = round_line.fulfilment_line.line.title
        if round_line.quantity_received is not None:
            raise ValidationError(
                _("“%(title)s” was already received.") % {"title": title}, code="already_received"
            )
        if quantity is None or not 0 <= quantity <= round_line.quantity:
            raise ValidationError(
                _("“%(title)s”: receive between 0 and %(max)d units.")
                % {"title": title, "max": round_line.quantity},
                code="out_of_range",
            )
        if quantity < round_line.quantity:
            missing[round_line.pk] = round_line.quantity - quantity
    if missing and not shortfall_confirmed:
        raise ShortfallUnconfirmed(_shortfalls_foreseen(round_lines=lines, missing=missing))
    now = timezone.now()
    missing_by_fulfilment: dict[int, dict[int, int]] = defaultdict(dict)
    for round_line in lines:
        round_line.quantity_received = received[round_line.pk]
        round_line.date_received = now
        if round_line.pk in missing:
            fl = round_line.fulfilment_line
            missing_by_fulfilment[fl.fulfilment_id][fl.line_id] = missing[round_line.pk]
    RoundLine.objects.bulk_update(lines, ["quantity_received", "date_received"])
    fulfilments = {rl.fulfilment_line.fulfilment_id: rl.fulfilment_line.fulfilment for rl in lines}
    order_ids = set()
    for fulfilment_id in sorted(missing_by_fulfilment):
        fulfilment = fulfilments[fulfilment_id]
        try:
            fulfilment_services.producer_fulfilment_shortfall_record(
                fulfilment=fulfilment,
                quantities=missing_by_fulfilment[fulfilment_id],
                actor=actor,
                note=_("Short at the GIE hub (round %(name)s).") % {"name": round_.name},
            )
        except (fulfilment_services.IllegalTransition, fulfilment_services.FulfilmentInputError) as exc:
            raise ValidationError(f"{fulfilment}: {exc}") from exc
        order_ids.add(fulfilment.order_id)
    for order_id in sorted(order_ids):
        task_queue_on_commit(shortfall_notify, round_.pk, order_id)
    return lines


def _shortfalls_foreseen(*, round_lines: list[RoundLine], missing: dict[int, int]) -> list[OrderShortfall]:
    """What recording these missing units would cancel, per customer order (nothing is written)."""
    fulfilment_ids = {rl.fulfilment_line.fulfilment_id for rl in round_lines if rl.pk in missing}
    open_units: dict[int, int] = defaultdict(int)
    for fl in FulfilmentLine.objects.filter(fulfilment_id__in=fulfilment_ids):
        open_units[fl.fulfilment_id] += fl.quantity_open
    missing_units: dict[int, int] = defaultdict(int)
    for rl in round_lines:
        missing_units[rl.fulfilment_line.fulfilment_id] += missing.get(rl.pk, 0)
    emptied = {pk for pk in fulfilment_ids if missing_units[pk] >= open_units[pk]}
    return order_shortfalls_build(missing=missing, round_lines=round_lines, emptied_fulfilment_ids=emptied)


@transaction.atomic
def consolidated_shipment_create(
    *, gie: Gie, order_number: str, carrier: str, tracking_number: str = "", actor=None
) -> ConsolidatedShipment:
    """Ship every open hub fulfilment of one order in one parcel, once the hub received all its units."""
    from gie.tasks import consolidated_shipment_notify

    carrier = (carrier or "").strip()
    if not carrier:
        raise ValidationError(_("Say which carrier takes the parcel."))
    fulfilments = list(
        hub_fulfilments(gie=gie)
        .filter(order__number=order_number, status__in=OPEN_STATUSES)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not fulfilments:
        raise ValidationError(_("Nothing left to ship for this order."))
    open_lines = FulfilmentLine.objects.filter(fulfilment__in=fulfilments).select_related(
        "round_line", "line"
    )
    waiting = [
        fl.line.title
        for fl in open_lines
        if fl.quantity_open and (not hasattr(fl, "round_line") or fl.round_line.quantity_received is None)
    ]
    if waiting:
        raise ValidationError(_("The hub has not received: %s") % ", ".join(sorted(waiting)))
    shipment = ConsolidatedShipment.objects.create(
        gie=gie,
        order=fulfilments[0].order,
        carrier=carrier,
        tracking_number=(tracking_number or "").strip(),
        created_by=actor,
    )
    for fulfilment in fulfilments:
        try:
            if fulfilment.status == Status.PENDING:
                fulfilment = fulfilment_services.producer_fulfilment_accept(
                    fulfilment=fulfilment, actor=actor
                )
            if fulfilment.status == Status.ACCEPTED:
                fulfilment = fulfilment_services.producer_fulfilment_pack(fulfilment=fulfilment, actor=actor)
            fulfilment_services.producer_fulfilment_ship(
                fulfilment=fulfilment,
                carrier=carrier,
                tracking_number=shipment.tracking_number,
                actor=actor,
                notify_customer=False,
            )
        except (fulfilment_services.IllegalTransition, fulfilment_services.FulfilmentInputError) as exc:
            raise ValidationError(f"{fulfilment.partner}: {exc}") from exc
    shipment.fulfilments.set(fulfilments)
    task_queue_on_commit(consolidated_shipment_notify, shipment.pk)
    return shipment


@transaction.atomic
def consolidated_export_start(*, gie: Gie, filters: dict, actor=None):
    """Queue the consolidated CSV export with these filters; the job shows its progress."""
    from gie.tasks import export_run

    serialisable = {
        key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in filters.items()
    }
    job = ExportJob.objects.create(
        gie=gie, kind=ExportJob.Kind.CONSOLIDATED, requested_by=actor, filters=serialisable
    )
    job_start(export_run, job.pk)
    return job


@transaction.atomic
def round_purchase_orders_export_start(*, round_: CollectionRound, actor=None):
    """Queue the ZIP of every member's purchase order (PDF + CSV) of the round; the job shows its progress."""
    from gie.tasks import export_run

    job = ExportJob.objects.create(
        gie_id=round_.gie_id, kind=ExportJob.Kind.PURCHASE_ORDERS, round=round_, requested_by=actor
    )
    job_start(export_run, job.pk)
    return job


def export_jobs_fail_stale(*, pk: int | None = None) -> int:
    """Exports whose worker died (no heartbeat for TERROIR_JOB_STALE_MINUTES) end as failed, with why."""
    jobs = ExportJob.objects.filter(
        job_stale_q(created_field="date_created"),
        status__in=(ExportJob.Status.PENDING, ExportJob.Status.RUNNING),
    )
    if pk is not None:
        jobs = jobs.filter(pk=pk)
    return jobs.update(
        status=ExportJob.Status.FAILED, error=_("The export stopped responding; please start it again.")
    )


def export_job_fail_if_stale(*, job: ExportJob) -> ExportJob:
    """Checked when a job is shown: the coordinator never watches a dead job's progress bar."""
    if job.status in (ExportJob.Status.PENDING, ExportJob.Status.RUNNING) and export_jobs_fail_stale(
        pk=job.pk
    ):
        job.refresh_from_db()
    return job


def gie_settlements_draw_up(
    *, gie: Gie, actor, period_start: datetime.date, period_end: datetime.date
) -> list[SettlementStatement]:
    """A coordinator draws up its members' statements before the platform's month-end run (the GIE's
    own record gets its hub shipping with them); only the GIE's coordinators and platform staff may."""
    if not (
        actor is not None and actor.is_active and gies_coordinated_by(user=actor).filter(pk=gie.pk).exists()
    ):
        raise PermissionDenied(
            _("Only the GIE's coordinators and platform staff draw up its members' statements.")
        )
    return settlements_run_unchecked(
        period_start=period_start,
        period_end=period_end,
        partner_ids=gie_members(gie=gie).values_list("pk", flat=True),
    )
