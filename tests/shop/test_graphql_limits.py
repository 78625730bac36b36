"""Limits that hold before anything runs: size, cost, depth (fragments included), one operation,
introspection; malformed documents are answered as errors with a code (HTTP 400), never a 500."""

import json

import pytest
from graphql import parse

from core.graphql.cost import FieldCost, query_cost
from core.graphql.limits import MAX_QUERY_COST, MAX_QUERY_DEPTH, operations_of
from shop.graphql.cost_map import COST_MAP
from shop.graphql.schema import schema

pytestmark = pytest.mark.django_db


def _post(client, query, **variables):
    response = client.post(
        "/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    return response.status_code, response.json()


def _codes(body):
    return [error.get("extensions", {}).get("code") for error in body["errors"]]


def _cost(query, variables=None, cost_map=None):
    document = parse(query)
    return query_cost(
        schema=schema.graphql_schema,
        document=document,
        operation=operations_of(document)[0],
        variables=variables,
        cost_map=COST_MAP if cost_map is None else cost_map,
        default_page_size=24,
        max_cost=10**9,
        max_depth=100,
    )


def _aliases(count, first=100):
    fields = f"products(first: {first}) {{ edges {{ node {{ title producer {{ name }} }} }} }}"
    return "{" + " ".join(f"a{i}: {fields}" for i in range(count)) + "}"


def test_the_cost_grows_with_the_page_size_the_aliases_and_the_nesting():
    one = _cost(
        "{ products(first: 10) { totalCount edges { node { title producer { name } } } } }", cost_map={}
    )

    # edges and nodes cost nothing of their own: the page and what each node asks for do
    assert one.cost == 10 * (1 + 1)
    assert _cost("{ products(first: 100) { edges { node { producer { name } } } } }", cost_map={}).cost == 200
    two = "{ a: products(first: 10) { totalCount } b: products(first: 10) { totalCount } }"
    assert _cost(two, cost_map={}).cost == 20
    # without `first`, a paged field counts the default page size
    assert _cost("{ products { totalCount } }", cost_map={}).cost == 24
    # the page size may come from a variable
    assert _cost("query ($n: Int) { products(first: $n) { totalCount } }", {"n": 50}, cost_map={}).cost == 50
    # nested pages multiply
    nested = "{ producers(first: 10) { edges { node { products(first: 10) { totalCount } } } } }"
    assert _cost(nested, cost_map={}).cost == 10 * (1 + 10 * 1)
    # the cost map weighs a field more than one row
    heavy = {"Query": {"products": FieldCost(complexity=3)}}
    assert _cost("{ products(first: 10) { totalCount } }", cost_map=heavy).cost == 30


def test_fragments_are_counted_where_they_are_spread_and_deepen_the_query():
    query = """
    { products(first: 10) { ...P } more: products(first: 10) { ...P } }
    fragment P on ProductCountableConnection { edges { node { producer { ...Q } } } }
    fragment Q on Producer { name }
    """

    measured = _cost(query, cost_map={})

    assert measured.cost == 2 * 10 * (1 + 1)
    assert measured.depth == 4


def test_a_thousand_aliases_of_a_full_page_are_refused_unparsed(client, demo, django_assert_num_queries):
    with django_assert_num_queries(0):
        status, body = _post(client, _aliases(1000))

    assert status == 400 and "data" not in body
    assert _codes(body) == ["QUERY_TOO_LARGE"]


def test_a_query_above_the_cost_budget_is_refused_with_its_cost(client, demo, django_assert_num_queries):
    # 30 aliases of a full page of producers with a full page of products each: short enough to
    # parse, far too expensive to run
    nested = "producers(first: 100) { edges { node { products(first: 100) { totalCount } } } }"
    with django_assert_num_queries(0):
        status, body = _post(client, "{" + " ".join(f"a{i}: {nested}" for i in range(30)) + "}")

    assert status == 400
    assert _codes(body) == ["QUERY_COST_EXCEEDED"]
    assert body["errors"][0]["extensions"]["maxCost"] == MAX_QUERY_COST
    assert body["errors"][0]["extensions"]["cost"] > MAX_QUERY_COST


def test_the_page_size_in_a_variable_counts_too(client, demo):
    fields = "producers(first: $n) { edges { node { products(first: $n) { totalCount } } } }"
    query = "query ($n: Int) {" + " ".join(f"a{i}: {fields}" for i in range(10)) + "}"

    small_status, __ = _post(client, query, n=1)
    big_status, big = _post(client, query, n=100)

    assert small_status == 200
    assert big_status == 400 and _codes(big) == ["QUERY_COST_EXCEEDED"]


def test_depth_counts_the_levels_fragments_hide(client, demo):
    # each fragment adds one level; spread into one another they go deeper than the limit
    levels = MAX_QUERY_DEPTH + 2
    nested = (
        "fragment F{} on Producer {{ products(first: 1) {{ edges {{ node {{ producer {{ ...F{} }} }} }} }} }}"
    )
    fragments = ["fragment F0 on Producer { name }"] + [nested.format(i, i - 1) for i in range(1, levels)]
    query = f'{{ producer(slug: "x") {{ ...F{levels - 1} }} }} ' + " ".join(fragments)

    status, body = _post(client, query)

    assert status == 400 and _codes(body) == ["QUERY_TOO_DEEP"]


@pytest.mark.parametrize(
    "query",
    [
        "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
        '{ product(slug: "x") { ...Self } } fragment Self on Product { title ...Self }',
        "{ products { ...Nowhere } }",
        "{ products { totalCount } } fragment Unused on Product { title }",
        "{ products(first: 1) { edges { node { title secretField } } } }",
        "{ products(first: 1) { totalCount ",
        "{ products(first: 99999999999999999999) { totalCount } }",
    ],
    ids=["cycle", "self-cycle", "unknown-fragment", "unused-fragment", "unknown-field", "syntax", "huge-int"],
)
def test_malformed_documents_are_validation_errors_not_server_errors(client, demo, query):
    status, body = _post(client, query)

    assert status == 400, body
    assert body["errors"] and all(_codes(body)), body
    assert "data" not in body


def test_one_operation_per_request(client, demo):
    two = "query A { products(first: 1) { totalCount } } query B { producers { totalCount } }"

    status, body = _post(client, two)
    batch = client.post(
        "/graphql/",
        json.dumps([{"query": "{ producers { totalCount } }"}, {"query": "{ categories { slug } }"}]),
        content_type="application/json",
    )
    chosen = client.post("/graphql/", {"query": two, "operationName": "B"}, content_type="application/json")

    assert status == 400 and _codes(body) == ["ONE_OPERATION_ONLY"]
    assert batch.status_code == 400 and _codes(batch.json()) == ["ONE_OPERATION_ONLY"]
    assert chosen.status_code == 400


@pytest.mark.parametrize("query", ["{ __schema { types { name } } }", '{ __type(name: "Product") { name } }'])
def test_introspection_is_off_unless_enabled(client, demo, settings, query):
    settings.GRAPHQL_INTROSPECTION = False
    status, body = _post(client, query)
    typename_status, typename = _post(client, "{ producers { __typename } }")

    settings.GRAPHQL_INTROSPECTION = True
    enabled_status, enabled = _post(client, query)

    assert status == 400 and _codes(body) == ["INTROSPECTION_DISABLED"]
    assert typename_status == 200 and "errors" not in typename
    assert enabled_status == 200 and "errors" not in enabled


def test_bad_bodies_get_a_client_error(client, demo):
    not_json = client.post("/graphql/", "{", content_type="application/json")
    no_query = client.post("/graphql/", {"variables": {}}, content_type="application/json")
    bad_variables = client.post(
        "/graphql/", {"query": "{ categories { slug } }", "variables": [1]}, content_type="application/json"
    )
    not_a_string = client.post("/graphql/", {"query": ["{"]}, content_type="application/json")

    assert [r.status_code for r in (not_json, no_query, bad_variables, not_a_string)] == [400] * 4
    assert all(_codes(r.json()) for r in (not_json, no_query, bad_variables, not_a_string))
