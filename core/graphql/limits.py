"""Limits every API call shares: page sizes and query depth."""

from graphql import GraphQLError

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 24
MAX_QUERY_DEPTH = 8


def page_bounds(*, first: int | None, offset: int | None) -> tuple[int, int]:
    """Validated (start, stop) slice bounds for a list field."""
    first = DEFAULT_PAGE_SIZE if first is None else first
    offset = offset or 0
    if first < 1 or first > MAX_PAGE_SIZE:
        raise GraphQLError(f"`first` must be between 1 and {MAX_PAGE_SIZE}.")
    if offset < 0:
        raise GraphQLError("`offset` cannot be negative.")
    return offset, offset + first
