import { DocumentNode, FieldNode, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { SubgraphUnreachable } from './subgraph-fetch';

/** The code of a field whose subgraph could not be reached; clients may retry. */
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

/** Answers that mean the subgraph is not there right now (as opposed to a bug in it). */
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

export function isUnavailability(e: unknown): boolean {
  if (e instanceof SubgraphUnreachable) return true;
  const error = e as { name?: string; extensions?: { response?: { status?: unknown } } } | null;
  // The body of an answer cut short by the time limit.
  if (error?.name === 'AbortError') return true;
  const status = error?.extensions?.response?.status;
  return typeof status === 'number' && UNAVAILABLE_STATUSES.has(status);
}

/** Response keys of the fields a selection asks for, through inline fragments. */
function fieldKeys(selectionSet: SelectionSetNode): string[] {
  const keys = new Set<string>();
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = selection as FieldNode;
      if (field.name.value !== '__typename') keys.add(field.alias?.value ?? field.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      for (const key of fieldKeys(selection.selectionSet)) keys.add(key);
    }
  }
  return [...keys];
}

/**
 * What the gateway merges in place of a subgraph's answer when the subgraph
 * is unavailable: no data, and an error at each field it was asked for, in
 * the subgraph's own paths (`[field]` for root fields, `[_entities, i,
 * field]` for entities), which the gateway maps to the client's paths. The
 * message names the subgraph, never its URL or the low-level cause.
 */
export function unavailableResponse(
  subgraph: string, document: DocumentNode | undefined, variables: Record<string, unknown> | undefined,
): GatewayGraphQLResponse {
  const message = `The ${subgraph} service is unavailable, try again shortly`;
  const extensions = { code: SUBGRAPH_UNAVAILABLE };
  const operation = document?.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return { errors: [{ message, extensions }] };
  const roots = fieldKeys(operation.selectionSet);
  const entities = operation.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === '_entities');
  const representations = variables?.representations;
  if (!entities?.selectionSet || !Array.isArray(representations)) {
    return { errors: roots.map((key) => ({ message, path: [key], extensions })) };
  }
  const fields = fieldKeys(entities.selectionSet);
  return { errors: representations.flatMap((_r, i) => fields.map((key) => ({ message, path: ['_entities', i, key], extensions }))) };
}
