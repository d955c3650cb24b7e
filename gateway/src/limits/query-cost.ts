import {
  DocumentNode, FieldNode, FragmentDefinitionNode, GraphQLArgument, GraphQLNamedType, GraphQLSchema, Kind, OperationDefinitionNode,
  SelectionSetNode, getNamedType, isInterfaceType, isObjectType, valueFromAST,
} from 'graphql';

/** Page size assumed for a `first`/`last` argument given no value and no default. */
const DEFAULT_PAGE = 20;
const PAGE_ARGS = ['first', 'last'];

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** How many items a field may return per parent: its page size, or 1 for a field that takes none. */
function multiplier(walk: Walk, field: FieldNode, argDefs: readonly GraphQLArgument[]): number {
  for (const name of PAGE_ARGS) {
    const def = argDefs.find((a) => a.name === name);
    if (!def) continue;
    const node = field.arguments?.find((a) => a.name.value === name);
    const value = node ? valueFromAST(node.value, def.type, walk.variables) : undefined;
    if (typeof value === 'number') return Math.max(0, value);
    return typeof def.defaultValue === 'number' ? def.defaultValue : DEFAULT_PAGE;
  }
  return 1;
}

function selectionCost(walk: Walk, set: SelectionSetNode, parent: GraphQLNamedType | undefined): number {
  let cost = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      // __typename, __schema, __type: introspection is limited by depth and by the introspection setting, not by cost.
      if (selection.name.value.startsWith('__') || !selection.selectionSet) continue;
      const def = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      if (!def) continue;
      cost += 1 + multiplier(walk, selection, def.args) * selectionCost(walk, selection.selectionSet, getNamedType(def.type));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      cost += selectionCost(walk, selection.selectionSet, type ?? undefined);
    } else {
      const fragment = walk.fragments.get(selection.name.value);
      if (fragment) cost += selectionCost(walk, fragment.selectionSet, walk.schema.getType(fragment.typeCondition.name.value) ?? undefined);
    }
  }
  return cost;
}

/**
 * What an operation may cost to answer, before it runs: every field that
 * selects an object costs 1 plus its page size (`first`/`last`, else the
 * argument's default) times the cost of what it selects, so nested pages
 * multiply. Scalars are free; the alias and depth limits bound their number.
 * Runs on a validated document (fragment cycles are already refused).
 */
export function operationCost(
  schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> = {},
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  return selectionCost({ schema, fragments, variables }, operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
}
