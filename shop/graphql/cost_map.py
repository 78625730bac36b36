"""What each field costs beyond the defaults of `core.graphql.cost` (Saleor's cost map).

By default a field that returns an object costs 1 and a scalar 0; a field with `first`/`last`
multiplies its own cost and everything beneath it by the page size. List here the fields whose
work is heavier than one row: searches, aggregates, mutations that hash passwords or place orders.
"""

from core.graphql.cost import FieldCost

COST_MAP: dict[str, dict[str, FieldCost]] = {
    "Query": {
        "products": FieldCost(complexity=2),
    },
    "ConsolidatedView": {
        "totalsByProduct": FieldCost(complexity=5),
        "totalsByMember": FieldCost(complexity=5),
        "totalCount": FieldCost(complexity=1),
    },
    "Mutation": {
        "collectionRoundOpen": FieldCost(complexity=10),
    },
}
