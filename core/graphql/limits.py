"""Limits every API call shares: size, page sizes, query cost, depth, one operation, introspection.

`document_check` runs before anything executes: it refuses a document that holds more than one
operation, goes deeper than MAX_QUERY_DEPTH (fragments included), costs more than MAX_QUERY_COST or
asks for the schema while introspection is off, and only then runs the standard validation (which
answers unknown fields, unknown or cyclic fragments). The cost is walked first because it is cheap
and stops early, while the standard rules are quadratic in the number of aliases. Each refusal is a
GraphQL error with an `extensions.code`, answered with HTTP 400 and never reaching a resolver.
"""

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    specified_rules,
    validate,
)

from core.graphql.cost import FieldCost, query_cost

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 24
MAX_QUERY_DEPTH = 12
# products(first: 100) with its producer, price, images, lots and labels costs about 1,000.
MAX_QUERY_COST = 25_000
# Parsing is linear in the document's size and runs before any cost can be known: a longer
# document is refused unparsed, and the parser stops at MAX_TOKENS (GraphiQL's introspection query
# has under 200 tokens; a 1,000-alias query about 15,000 tokens and 55,000 characters).
MAX_QUERY_LENGTH = 20_000
MAX_TOKENS = 2_000

QUERY_COST_EXCEEDED = "QUERY_COST_EXCEEDED"
QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
ONE_OPERATION_ONLY = "ONE_OPERATION_ONLY"
INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"


def page_bounds(*, first: int | None, offset: int | None) -> tuple[int, int]:
    """Validated (start, stop) slice bounds for a list field."""
    first = DEFAULT_PAGE_SIZE if first is None else first
    offset = offset or 0
    if first < 1 or first > MAX_PAGE_SIZE:
        raise GraphQLError(f"`first` must be between 1 and {MAX_PAGE_SIZE}.")
    if offset < 0:
        raise GraphQLError("`offset` cannot be negative.")
    return offset, offset + first


def _coded(error: GraphQLError, code: str) -> GraphQLError:
    if error.extensions and "code" in error.extensions:
        return error
    return GraphQLError(
        error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions={**(error.extensions or {}), "code": code},
    )


def operations_of(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def document_check(
    *,
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: dict | None,
    cost_map: dict[str, dict[str, FieldCost]],
    introspection: bool,
    max_cost: int = MAX_QUERY_COST,
    max_depth: int = MAX_QUERY_DEPTH,
) -> list[GraphQLError]:
    """Every refusal of the document, each with its code; [] when it may run."""
    operations = operations_of(document)
    if len(operations) != 1:
        return [
            GraphQLError(
                "Send exactly one operation per request (no batches, no documents with several operations).",
                extensions={"code": ONE_OPERATION_ONLY},
            )
        ]
    measured = query_cost(
        schema=schema,
        document=document,
        operation=operations[0],
        variables=variables,
        cost_map=cost_map,
        default_page_size=DEFAULT_PAGE_SIZE,
        max_cost=max_cost,
        max_depth=max_depth,
    )
    if measured.depth > max_depth:
        return [
            GraphQLError(
                f"The query is {measured.depth} fields deep; at most {max_depth} are allowed "
                "(fragments included).",
                extensions={"code": QUERY_TOO_DEEP, "depth": measured.depth, "maxDepth": max_depth},
            )
        ]
    if measured.budget_exceeded or measured.cost > max_cost:
        qualifier = "more than " if measured.budget_exceeded else ""
        return [
            GraphQLError(
                f"The query costs {qualifier}{measured.cost}; at most {max_cost} is allowed. Ask for "
                "smaller pages (`first`), fewer aliases or fewer nested lists.",
                extensions={
                    "code": QUERY_COST_EXCEEDED,
                    "cost": measured.cost,
                    "maxCost": max_cost,
                },
            )
        ]
    if measured.introspects and not introspection:
        return [
            GraphQLError(
                "Introspection is disabled on this server.", extensions={"code": INTROSPECTION_DISABLED}
            )
        ]
    errors = validate(schema, document, specified_rules)
    return [_coded(error, GRAPHQL_VALIDATION_FAILED) for error in errors]
