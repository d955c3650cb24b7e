import { GraphQLSchema } from 'graphql';
import { QueryPlanSelectionNode, getResponseName } from '@apollo/query-planner';
import { isObjectOfType } from '@apollo/gateway/dist/dataRewrites';
import { deepMerge } from '@apollo/gateway/dist/utilities/deepMerge';

type Data = Record<string, any>;

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * The representation of an entity for an entity fetch: the fields its
 * `requires` selection names, or null when one of them is missing. Used by
 * the query executor and by the subscriptions' entity fetches alike.
 */
export function represent(schema: GraphQLSchema, source: Data | null, selections: readonly QueryPlanSelectionNode[]): Data | null {
  if (source === null) return null;
  // Made only when a field is kept: a representation that is one type's fragment (the common `... on T { __typename id }`) is that fragment's.
  let result: Data | null = null;
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const name = getResponseName(selection);
      if (!hasOwn(source, name) || source[name] === undefined) return null;
      const value = source[name];
      const sub = selection.selections;
      result ??= Object.create(null) as Data;
      if (Array.isArray(value)) result[name] = value.map((v) => (sub ? represent(schema, v, sub) : v));
      else result[name] = sub ? represent(schema, value, sub) : value;
    } else if (selection.typeCondition && isObjectOfType(schema, source, selection.typeCondition)) {
      const inner = represent(schema, source, selection.selections);
      if (inner) {
        if (result === null) result = inner;
        else deepMerge(result, inner);
      }
    }
  }
  return result ?? Object.create(null);
}
