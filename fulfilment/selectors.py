"""Reads that split baskets and orders by producer: what each producer sends."""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class ProducerGroup:
    partner_id: int | None
    partner_name: str
    partner_url: str | None
    lines: list = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.line_price_incl_tax for line in self.lines), Decimal("0.00"))

    @property
    def num_items(self) -> int:
        return sum(line.quantity for line in self.lines)


def basket_producer_ids(basket) -> set[int]:
    """Producers that will each send a parcel for this basket."""
    return {line.stockrecord.partner_id for line in basket.all_lines() if line.stockrecord_id}


def order_lines_by_producer(order) -> list[ProducerGroup]:
    """The order's lines grouped by the producer who sends them, in order of first line."""
    groups: dict[int | None, ProducerGroup] = {}
    for line in order.lines.select_related("partner", "product").order_by("pk"):
        group = groups.get(line.partner_id)
        if group is None:
            partner = line.partner
            group = groups[line.partner_id] = ProducerGroup(
                partner_id=line.partner_id,
                partner_name=partner.display_name if partner else line.partner_name,
                partner_url=partner.get_absolute_url() if partner and partner.slug else None,
            )
        group.lines.append(line)
    return list(groups.values())
