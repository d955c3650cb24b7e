import { FormattedExecutionResult, GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { FetchNode, PlanNode } from '@apollo/query-planner';
// The gateway's own helpers for plan data (rewrites, merging); pinned with @apollo/gateway.
import { applyRewrites } from '@apollo/gateway/dist/dataRewrites';
import { deepMerge } from '@apollo/gateway/dist/utilities/deepMerge';
import { SubgraphRequest } from './subgraph-fetch';
import { represent } from '../execution/representation';

type ResponsePath = (string | number)[];
type Data = Record<string, any>;

/** An object of the event's data that fetches merge into, and where it sits in the response. */
export interface Entry { value: Data; path: ResponsePath }

export interface PlanRun {
  supergraphSchema: GraphQLSchema;
  /** The client's variables, defaults applied. */
  variables: Record<string, unknown>;
  /** Errors of the event so far, with paths in the client's response. */
  errors: GraphQLError[];
  signal: AbortSignal;
  send(serviceName: string, request: SubgraphRequest): Promise<FormattedExecutionResult>;
}

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Runs the `rest` of a subscription plan over one event's data, merging what the fetches return into it. */
export async function executePlanNode(node: PlanNode, entries: Entry[], run: PlanRun): Promise<void> {
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executePlanNode(child, entries, run);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => executePlanNode(child, entries, run)));
      return;
    case 'Flatten':
      return executePlanNode(node.node, descend(entries, node.path), run);
    case 'Fetch':
      return executeFetch(node, entries, run);
    case 'Condition': {
      const branch = run.variables[node.condition] ? node.ifClause : node.elseClause;
      if (branch) await executePlanNode(branch, entries, run);
      return;
    }
    case 'Defer':
      throw new GraphQLError('@defer is not supported in subscriptions', { extensions: { code: 'BAD_REQUEST' } });
  }
}

/** The objects at a Flatten path; `@` steps into every element of a list. */
function descend(entries: Entry[], path: ResponsePath): Entry[] {
  let current = entries;
  for (const key of path) {
    const next: Entry[] = [];
    for (const { value, path: at } of current) {
      if (key === '@') {
        if (Array.isArray(value)) value.forEach((v, i) => { if (v != null) next.push({ value: v, path: [...at, i] }); });
      } else if (value && hasOwn(value, String(key)) && value[key] != null) {
        next.push({ value: value[key], path: [...at, key] });
      }
    }
    current = next;
  }
  return current;
}

function pickVariables(names: string[] | undefined, values: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names ?? []) if (values[name] !== undefined) picked[name] = values[name];
  return picked;
}

/** A subgraph error with its path in the client's response: `_entities[i]` becomes where that entity sits. */
function relocate(error: GraphQLFormattedError, owners: Entry[], entities: boolean): GraphQLError {
  const [head, index, ...rest] = error.path ?? [];
  let path: ResponsePath | undefined;
  if (!entities) path = [...owners[0].path, ...(error.path ?? [])];
  else if (head === '_entities' && typeof index === 'number' && owners[index]) path = [...owners[index].path, ...rest];
  else if (owners.length === 1) path = owners[0].path;
  return new GraphQLError(error.message, { path, extensions: error.extensions });
}

async function executeFetch(fetch: FetchNode, entries: Entry[], run: PlanRun): Promise<void> {
  const variables = pickVariables(fetch.variableUsages, run.variables);
  const owners: Entry[] = [];
  const representations: Data[] = [];
  for (const entry of entries) {
    const representation = fetch.requires ? represent(run.supergraphSchema, entry.value, fetch.requires) : null;
    if (!fetch.requires || representation?.__typename) {
      if (representation) applyRewrites(run.supergraphSchema, fetch.inputRewrites, representation);
      owners.push(entry);
      if (representation) representations.push(representation);
    }
  }
  if (owners.length === 0) return;
  let result: FormattedExecutionResult;
  try {
    result = await run.send(fetch.serviceName, {
      query: fetch.operation,
      operationName: fetch.operationName,
      variables: fetch.requires ? { ...variables, representations } : variables,
    });
  } catch (e) {
    if (run.signal.aborted) throw e;
    // The event still goes out, with this part null and an error saying so (the cause is logged by the caller).
    for (const owner of owners) {
      run.errors.push(new GraphQLError(`Could not fetch from subgraph "${fetch.serviceName}"`, {
        path: owner.path, originalError: e as Error, extensions: { code: 'INTERNAL_SERVER_ERROR' },
      }));
    }
    return;
  }
  run.errors.push(...(result.errors ?? []).map((error) => relocate(error, owners, Boolean(fetch.requires))));
  if (!result.data) return;
  if (!fetch.requires) {
    applyRewrites(run.supergraphSchema, fetch.outputRewrites, result.data);
    for (const owner of owners) deepMerge(owner.value, result.data);
    return;
  }
  const received = result.data._entities;
  if (!Array.isArray(received) || received.length !== owners.length) {
    run.errors.push(new GraphQLError(`Subgraph "${fetch.serviceName}" answered ${owners.length} representations wrongly`, {
      path: owners[0].path, extensions: { code: 'INTERNAL_SERVER_ERROR' },
    }));
    return;
  }
  received.forEach((entity: Data | null, i) => {
    if (!entity) return;
    entity.__typename ??= owners[i].value.__typename;
    applyRewrites(run.supergraphSchema, fetch.outputRewrites, entity);
    deepMerge(owners[i].value, entity);
  });
}
