"""Relay connections for every list of the API: `first/after/last/before`, `totalCount`, `pageInfo`.

Cursors are opaque offsets (graphql-relay's `arrayconnection:N`, base64), as graphene-django's own
connection fields use: a list is a queryset that the page slices; `totalCount` is one COUNT, run
only when asked.
A page holds at most MAX_PAGE_SIZE nodes; without `first` or `last` it holds DEFAULT_PAGE_SIZE.
"""

import graphene
from graphene import relay
from graphql import GraphQLError
from graphql_relay import cursor_to_offset, offset_to_cursor

from core.graphql.limits import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

INVALID_PAGE = "INVALID_PAGE"


class CountableConnection(relay.Connection):
    total_count = graphene.Int(required=True, description="How many nodes the whole list holds.")

    class Meta:
        abstract = True

    def resolve_total_count(root, info):
        return root.total_count_of()


def connection_for(node_type, name: str | None = None) -> type[CountableConnection]:
    """The connection type of a node type: `<Node>CountableConnection` with its edges."""
    node_name = node_type._meta.name if hasattr(node_type, "_meta") else str(node_type)
    return type(
        name or f"{node_name}CountableConnection",
        (CountableConnection,),
        {"Meta": type("Meta", (), {"node": node_type})},
    )


def connection_field(connection_type, description: str = "", **arguments) -> graphene.Field:
    """A paged field: the connection's arguments plus the list's own filters."""
    return relay.ConnectionField(connection_type, description=description, **arguments)


def _offset(cursor: str | None, name: str) -> int | None:
    if cursor is None:
        return None
    offset = cursor_to_offset(cursor)
    if offset is None or offset < 0:
        raise GraphQLError(f"`{name}` is not a cursor of this list.", extensions={"code": INVALID_PAGE})
    return offset


def page_bounds_check(*, first: int | None, last: int | None) -> None:
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
            raise GraphQLError(
                f"`{name}` must be between 0 and {MAX_PAGE_SIZE}.", extensions={"code": INVALID_PAGE}
            )


def paginate(
    items,
    *,
    connection_type,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    prepare=None,
    count=None,
):
    """One page of `items` (a queryset or a list) as `connection_type`.

    Paging forwards reads one row more than the page to know whether another page follows, and
    counts the whole list only when `totalCount` is asked; paging backwards needs the count.
    `prepare(page) -> page` runs on the page's objects once they are loaded (batch loaders);
    `count` (a number or a callable) spares the COUNT when the caller knows it.
    """
    page_bounds_check(first=first, last=last)
    if first is None and last is None:
        first = DEFAULT_PAGE_SIZE
    counted = {}

    def length() -> int:
        if "n" not in counted:
            given = count() if callable(count) else count
            counted["n"] = (
                given if given is not None else (len(items) if isinstance(items, list) else items.count())
            )
        return counted["n"]

    after_offset, before_offset = _offset(after, "after"), _offset(before, "before")
    start = after_offset + 1 if after_offset is not None else 0
    if last is None and before_offset is None:
        rows = list(items[start : start + first + 1]) if first else []
        page, has_next = rows[:first], len(rows) > first
        if not first:
            has_next = length() > start
    else:
        end = min(before_offset, length()) if before_offset is not None else length()
        end = max(end, start)
        if first is not None:
            end = min(end, start + first)
        if last is not None:
            start = max(start, end - last)
        page = list(items[start:end]) if end > start else []
        has_next = end < length()
    if prepare is not None:
        page = list(prepare(page))
    edge_type = connection_type.Edge
    edges = [edge_type(node=node, cursor=offset_to_cursor(start + i)) for i, node in enumerate(page)]
    page_info = relay.PageInfo(
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
        has_previous_page=start > 0,
        has_next_page=has_next,
    )
    connection = connection_type(edges=edges, page_info=page_info)
    connection.total_count_of = length
    return connection
