import { DocumentNode, ExecutionResult, GraphQLError, GraphQLFieldResolver, GraphQLSchema, execute } from 'graphql';

export interface ClientOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: Record<string, unknown> | null;
}

/**
 * Reads every field under its response key: the plan's fetches keep the
 * client's aliases, so `x: name` arrives as `x` and is found by the alias.
 */
const byResponseKey: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) =>
  source !== null && typeof source === 'object' ? (source as Record<string, unknown>)[info.path.key as string] : undefined;

type Path = readonly (string | number)[] | undefined;

/** Whether one path lies inside the other: the same failure seen from two places. */
function overlaps(a: Path, b: Path): boolean {
  if (!a || !b) return false;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Trims one event's merged data to exactly what the client selected, by
 * executing its document against the API schema with the data as root
 * value: fields the plan added (`__typename`, keys) disappear, enums and
 * nullability are checked, and a null in a non-null field propagates as
 * GraphQL says. A subgraph error already explains a null it caused, so the
 * "cannot return null" error that execution adds at the same place is dropped.
 */
export async function shapeEvent(operation: ClientOperation, data: Record<string, unknown>, upstreamErrors: GraphQLError[]): Promise<ExecutionResult> {
  const result = await execute({
    schema: operation.schema,
    document: operation.document,
    operationName: operation.operationName,
    variableValues: operation.variableValues,
    rootValue: data,
    fieldResolver: byResponseKey,
  });
  const own = (result.errors ?? []).filter((e) => !upstreamErrors.some((u) => overlaps(u.path, e.path)));
  const errors = [...upstreamErrors, ...own];
  return errors.length > 0 ? { data: result.data, errors } : { data: result.data };
}
