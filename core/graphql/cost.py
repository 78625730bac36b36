"""What a query will cost, and how deep it goes, read from its document before anything runs.

The cost follows Saleor's cost map: each field has a complexity (1 for a field that returns an
object, 0 for a scalar, unless the map says otherwise), a list field's complexity and everything
beneath it are multiplied by its page size (`first` / `last`, or the default page size when a paged
field is asked without one), and every alias is a field of its own. So
`{ a: products(first: 100) { edges { node { producer { name } } } } }` costs 100 × (1 + 1), and a
thousand aliases of it cost a thousand times that.

Fragments are counted where they are spread, each fragment computed once (a document that spreads
a fragment twice into another twice, and so on, cannot make the walk exponential). Unknown fields and
fragments cost nothing here: the standard validation rejects them.
"""

from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    get_named_type,
    is_composite_type,
)

# Arguments whose value multiplies a field's cost (Saleor's "multipliers").
PAGE_ARGUMENTS = ("first", "last")
# A connection's wrappers cost nothing of their own: the paged field and its nodes carry the cost.
STRUCTURAL_FIELDS = (("Connection", "edges"), ("Connection", "pageInfo"), ("Edge", "node"))


@dataclass(frozen=True)
class FieldCost:
    complexity: int = 1
    multipliers: tuple[str, ...] = PAGE_ARGUMENTS


@dataclass
class QueryCost:
    cost: int = 0
    depth: int = 0
    # The walk stopped early: the budget was already spent (`cost` is then a lower bound).
    budget_exceeded: bool = False
    # The operation asks the schema about itself (`__schema`, `__type`).
    introspects: bool = False


class _Walk:
    def __init__(self, *, schema, fragments, variables, cost_map, default_page_size, max_cost, max_depth):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables or {}
        self.cost_map = cost_map
        self.default_page_size = default_page_size
        self.max_cost = max_cost
        self.max_depth = max_depth
        self.fragment_results: dict[str, tuple[int, int]] = {}
        self.visiting: set[str] = set()
        self.introspects = False
        # Running total of the whole operation (each field times its ancestors' page sizes), so the
        # walk stops as soon as the budget is gone.
        self.spent = 0

    def selection_set(self, parent_type, selection_set, scale: int, level: int = 0) -> tuple[int, int]:
        """(cost, depth) of a selection set under `parent_type`, `scale` pages deep. A selection set
        beyond the depth limit is not walked: its depth is enough to refuse the query."""
        cost, depth = 0, 0
        if selection_set is None:
            return 0, 0
        if level > self.max_depth:
            return 0, 1
        for selection in selection_set.selections:
            if self.spent > self.max_cost:
                break
            if isinstance(selection, FieldNode):
                field_cost, field_depth = self.field(parent_type, selection, scale, level)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                fragment_type = self.schema.get_type(condition.name.value) if condition else parent_type
                selections = selection.selection_set
                field_cost, field_depth = self.selection_set(fragment_type, selections, scale, level)
            elif isinstance(selection, FragmentSpreadNode):
                field_cost, field_depth = self.fragment(selection.name.value, scale, level)
            else:  # pragma: no cover - the grammar has no other selection
                continue
            cost += field_cost
            depth = max(depth, field_depth)
        return cost, depth

    def fragment(self, name: str, scale: int, level: int) -> tuple[int, int]:
        if name in self.fragment_results:
            cost, depth = self.fragment_results[name]
            self.spent += cost * scale
            return cost, depth
        definition = self.fragments.get(name)
        if definition is None or name in self.visiting:
            return 0, 0  # unknown or cyclic: the standard rules answer it
        self.visiting.add(name)
        fragment_type = self.schema.get_type(definition.type_condition.name.value)
        # Walked from level 0 so the result holds wherever the fragment is spread; the depth
        # guard still counts the levels above it.
        cost, depth = self.selection_set(fragment_type, definition.selection_set, scale, level)
        self.visiting.discard(name)
        self.fragment_results[name] = (cost, depth)
        return cost, depth

    def field(self, parent_type, node: FieldNode, scale: int, level: int) -> tuple[int, int]:
        name = node.name.value
        if name in ("__schema", "__type"):
            self.introspects = True
        if name.startswith("__") or not isinstance(parent_type, GraphQLObjectType | GraphQLInterfaceType):
            return 0, 0
        definition = parent_type.fields.get(name)
        if definition is None:
            return 0, 0
        field_type = get_named_type(definition.type)
        entry = self.cost_map.get(parent_type.name, {}).get(name)
        if entry is None:
            structural = any(
                parent_type.name.endswith(suffix) and name == field for suffix, field in STRUCTURAL_FIELDS
            )
            entry = FieldCost(complexity=1 if is_composite_type(field_type) and not structural else 0)
        multiplier = self.multiplier(node, definition, entry)
        self.spent += entry.complexity * multiplier * scale
        children_cost, children_depth = self.selection_set(
            field_type, node.selection_set, scale * multiplier, level + 1
        )
        cost = (entry.complexity + children_cost) * multiplier
        return cost, (1 + children_depth) if node.selection_set else 0

    def multiplier(self, node: FieldNode, definition, entry: FieldCost) -> int:
        values = {argument.name.value: self.value(argument.value) for argument in node.arguments}
        paged = [name for name in entry.multipliers if name in definition.args]
        given = [values[name] for name in paged if values.get(name) is not None]
        if given:
            result = 1
            for value in given:
                result *= max(value, 1)
            return result
        return self.default_page_size if paged else 1

    def value(self, node) -> int | None:
        if isinstance(node, IntValueNode):
            return _int(node.value)
        if isinstance(node, VariableNode):
            value = self.variables.get(node.name.value)
            return value if isinstance(value, int) and not isinstance(value, bool) else _int(value)
        return None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def query_cost(
    *,
    schema: GraphQLSchema,
    document,
    operation: OperationDefinitionNode,
    variables: dict | None,
    cost_map: dict[str, dict[str, FieldCost]],
    default_page_size: int,
    max_cost: int,
    max_depth: int,
) -> QueryCost:
    """Cost and depth of one operation; the walk stops early once `max_cost` or `max_depth` is passed."""
    root_type = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }[operation.operation]
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    walk = _Walk(
        schema=schema,
        fragments=fragments,
        variables=variables if isinstance(variables, dict) else {},
        cost_map=cost_map,
        default_page_size=default_page_size,
        max_cost=max_cost,
        max_depth=max_depth,
    )
    if root_type is None:
        return QueryCost()
    cost, depth = walk.selection_set(root_type, operation.selection_set, 1)
    exceeded = walk.spent > max_cost
    return QueryCost(
        cost=max(cost, walk.spent) if exceeded else cost,
        depth=depth,
        budget_exceeded=exceeded,
        introspects=walk.introspects,
    )
