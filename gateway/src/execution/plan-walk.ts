import { GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { FetchNode, PlanNode, ResponsePath } from '@apollo/query-planner';
import { GraphQLDataSource, GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { errorCodeDef, ERRORS } from '@apollo/federation-internals';
// The gateway's own helpers for plan data (rewrites, merging); pinned with @apollo/gateway.
import { applyRewrites } from '@apollo/gateway/dist/dataRewrites';
import { deepMerge } from '@apollo/gateway/dist/utilities/deepMerge';
import { represent } from './representation';

type Data = Record<string, any>;

/** One execution of a query plan: where fetches go, what they merge into, the errors so far. */
export interface PlanRun {
  supergraphSchema: GraphQLSchema;
  services: Record<string, GraphQLDataSource>;
  requestContext: GatewayGraphQLRequestContext;
  /** The client's variables as sent (Apollo's executor reads them the same way). */
  variables: Record<string, unknown>;
  /** Whether a Condition node's variable is true (the operation's defaults apply). */
  condition(variable: string): boolean;
  errors: GraphQLError[];
  /** The whole result tree, for the paths of entity errors. */
  root: Data;
}

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * Runs a query or mutation plan, merging every fetch's answer in place into
 * `cursor` (the result tree at `path`). The same walk as @apollo/gateway's
 * executeQueryPlan, without its per-node trace objects, and with identical
 * representations of one entity fetch sent once.
 */
export async function runPlanNode(node: PlanNode, path: ResponsePath, data: Data | Data[] | null | undefined, run: PlanRun): Promise<void> {
  if (data === undefined || data === null) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await runPlanNode(child, path, data, run);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => runPlanNode(child, path, data, run)));
      return;
    case 'Flatten':
      return runPlanNode(node.node, path.concat(node.path), flattenAt(data, node.path, 0), run);
    case 'Fetch':
      try {
        await runFetch(node, path, data, run);
      } catch (error) {
        run.errors.push(error as GraphQLError);
      }
      return;
    case 'Condition': {
      const branch = run.condition(node.condition) ? node.ifClause : node.elseClause;
      if (branch) await runPlanNode(branch, path, data, run);
      return;
    }
    default:
      throw new Error(`Plan node ${node.kind} is not run by the gateway's executor`);
  }
}

/** The values at a Flatten path; `@` steps into every element of a list (nulls kept, as Apollo keeps them). */
function flattenAt(value: any, path: ResponsePath, from: number): any {
  if (from === path.length || value === undefined || value === null) return value;
  const key = path[from];
  if (key === '@') {
    const out: any[] = [];
    for (const element of value as any[]) {
      const inner = flattenAt(element, path, from + 1);
      if (Array.isArray(inner)) for (const v of inner) out.push(v);
      else out.push(inner);
    }
    return out;
  }
  return flattenAt(hasOwn(value, key as string) ? value[key as string] : undefined, path, from + 1);
}

/** A representation's identity: its fields and values in order (most are `__typename` and a scalar key or two). */
function keyOf(representation: Data): string {
  let key = '';
  for (const name in representation) {
    const value = representation[name];
    if (value !== null && typeof value === 'object') return JSON.stringify(representation);
    // Strings quoted and escaped as JSON, so that no value can pass for another field.
    key += `${name}:${typeof value === 'string' ? JSON.stringify(value) : String(value)},`;
  }
  return key;
}

/**
 * The distinct representations of one entity fetch, in order of first
 * appearance. The common `{ __typename, <one scalar key> }` is looked up by
 * typename then value, without making a key string; any other shape by `keyOf`.
 */
class Representations {
  readonly list: Data[] = [];
  /** By typename, then key field, then value. */
  private byField: Map<string, Map<string, Map<unknown, number>>> | null = null;
  private byKey: Map<string, number> | null = null;

  /** The index of `representation` in `list`, added when it is new. */
  indexOf(representation: Data): number {
    let count = 0;
    let field = '';
    for (const name in representation) {
      if (++count === 2) field = name;
      else if (count > 2) break;
    }
    const typename = representation.__typename;
    const value = count === 2 && field !== '__typename' ? representation[field] : undefined;
    if (typeof typename === 'string' && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
      this.byField ??= new Map();
      let byName = this.byField.get(typename);
      if (!byName) { byName = new Map(); this.byField.set(typename, byName); }
      let byValue = byName.get(field);
      if (!byValue) { byValue = new Map(); byName.set(field, byValue); }
      const known = byValue.get(value);
      if (known !== undefined) return known;
      byValue.set(value, this.list.length);
    } else {
      const key = keyOf(representation);
      this.byKey ??= new Map();
      const known = this.byKey.get(key);
      if (known !== undefined) return known;
      this.byKey.set(key, this.list.length);
    }
    this.list.push(representation);
    return this.list.length - 1;
  }
}

async function runFetch(fetch: FetchNode, path: ResponsePath, data: Data | Data[], run: PlanRun): Promise<void> {
  const service = run.services[fetch.serviceName];
  if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
  const entities = Array.isArray(data) ? data.filter((e) => e !== null && e !== undefined) : [data];
  if (entities.length === 0) return;
  const variables: Data = Object.create(null);
  for (const name of fetch.variableUsages ?? []) {
    if (hasOwn(run.variables, name) && run.variables[name] !== undefined) variables[name] = run.variables[name];
  }
  if (!fetch.requires) {
    const received = await send(fetch, service, variables, path, run);
    if (received) applyRewrites(run.supergraphSchema, fetch.outputRewrites, received);
    for (const entity of entities) deepMerge(entity, received);
    return;
  }
  // Each distinct representation is sent once; `shared[i]` is the representation entity i is answered by (-1: none).
  const distinct = new Representations();
  const shared = new Int32Array(entities.length).fill(-1);
  for (let index = 0; index < entities.length; index++) {
    const entity = entities[index]!;
    const representation = represent(run.supergraphSchema, entity, fetch.requires);
    if (!representation || !representation.__typename) continue;
    applyRewrites(run.supergraphSchema, fetch.inputRewrites, representation);
    shared[index] = distinct.indexOf(representation);
  }
  const representations = distinct.list;
  if (representations.length === 0) return;
  if ('representations' in variables) throw new Error('Variables cannot contain key "representations"');
  const owners = () => ownersOf(shared, representations.length);
  const received = await send(fetch, service, { ...variables, representations }, path, run, owners);
  if (!received) return;
  if (!Array.isArray(received._entities)) throw new Error('Expected "data._entities" in response to be an array');
  const answered: (Data | null)[] = received._entities;
  if (answered.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  // Entity by entity, in order: the same merges as if each had been sent its own representation.
  const prepared = new Uint8Array(answered.length);
  for (let index = 0; index < entities.length; index++) {
    const u = shared[index]!;
    if (u < 0) continue;
    const entity = answered[u];
    const existing = entities[index]!;
    if (entity && prepared[u] === 0) {
      prepared[u] = 1;
      if (!entity.__typename) entity.__typename = existing.__typename;
      applyRewrites(run.supergraphSchema, fetch.outputRewrites, entity);
    }
    deepMerge(existing, entity);
  }
}

/** The entities (by index) that share each representation. */
function ownersOf(shared: Int32Array, count: number): number[][] {
  const owners: number[][] = Array.from({ length: count }, () => []);
  for (let index = 0; index < shared.length; index++) if (shared[index]! >= 0) owners[shared[index]!]!.push(index);
  return owners;
}

async function send(
  fetch: FetchNode, service: GraphQLDataSource, variables: Data, path: ResponsePath, run: PlanRun, owners?: () => number[][],
): Promise<Data | null | undefined> {
  const response = await service.process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query: fetch.operation, variables, operationName: fetch.operationName },
    incomingRequestContext: run.requestContext,
    context: run.requestContext.context,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: path,
  });
  if (response.errors) {
    // In the order of the entities they are about, as if every duplicate representation had been sent and failed on its own.
    const located: { order: number; error: GraphQLError }[] = [];
    const paths = errorPaths(fetch, path, run, owners);
    let order = -1;
    for (const error of response.errors) {
      for (const [index, at] of paths(error.path)) {
        if (index !== null) order = index;
        located.push({ order, error: downstreamError(error, fetch.serviceName, at) });
      }
    }
    if (owners) located.sort((a, b) => a.order - b.order);
    for (const { error } of located) run.errors.push(error);
  }
  return response.data as Data | null | undefined;
}

/**
 * Where a subgraph's error goes in the client's response: `_entities[u]`
 * becomes the path of every entity that shared representation u (the
 * entities' paths are only computed when an error needs them).
 */
function errorPaths(fetch: FetchNode, path: ResponsePath, run: PlanRun, ownersOf?: () => number[][]) {
  let hydrated: ResponsePath[] | undefined;
  let owners: number[][] | undefined;
  return (errorPath: readonly (string | number)[] | undefined): [number | null, ResponsePath | undefined][] => {
    if (fetch.requires && typeof errorPath?.[1] === 'number') {
      if (!hydrated) { hydrated = []; hydrate([], path, 0, run.root, hydrated); }
      if (ownersOf && !owners) owners = ownersOf();
      const indices = owners?.[errorPath[1]] ?? [errorPath[1]];
      return indices.map((i) => [i, [...(hydrated![i] ?? []), ...errorPath.slice(2)]]);
    }
    return [[null, errorPath ? [...path, ...errorPath] : undefined]];
  };
}

/** The concrete paths a Flatten path stands for in the data, `@` replaced by each index (@apollo/gateway's generateHydratedPaths). */
function hydrate(parent: ResponsePath, path: ResponsePath, from: number, data: any, out: ResponsePath[]): void {
  if (data == null) return;
  const head = path[from];
  if (head === undefined) { out.push(parent.slice()); return; }
  if (head === '@' || Array.isArray(data)) {
    if (!Array.isArray(data)) return;
    data.forEach((value, i) => {
      parent.push(i);
      hydrate(parent, path, head === '@' ? from + 1 : from, value, out);
      parent.pop();
    });
  } else if (hasOwn(data, head as string)) {
    parent.push(head);
    hydrate(parent, path, from + 1, data[head as string], out);
    parent.pop();
  }
}

/** A subgraph's error as @apollo/gateway reports it: its code kept (DOWNSTREAM_SERVICE_ERROR when it has none), the service named. */
function downstreamError(original: GraphQLFormattedError, serviceName: string, path: ResponsePath | undefined): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = { originalError: original as Error, path, extensions: { ...original.extensions, serviceName } };
  const codeDef = errorCodeDef(original);
  if (!codeDef && original.extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}
