import { createHash } from 'node:crypto';
import { GraphQLError, GraphQLSchema, VariableDefinitionNode, getVariableValues } from 'graphql';
import { ApolloGateway } from '@apollo/gateway';
import { GraphQLDataSource } from '@apollo/gateway/dist/datasources/types';
import { GatewayExecutionResult, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { Schema, operationFromDocument } from '@apollo/federation-internals';
import { PlanNode, QueryPlan, QueryPlanner } from '@apollo/query-planner';
import { runPlanNode } from './plan-walk';
import { ShapedOperation, compileOperation, shapeResponse } from './response-shape';

/** What the gateway's executor reads of ApolloGateway (fields private to its TypeScript API, stable in the pinned version). */
interface GatewayInternals {
  schema?: GraphQLSchema;
  apiSchema?: Schema;
  supergraphSchema?: GraphQLSchema;
  queryPlanner?: QueryPlanner;
  queryPlanStore: { get(key: string): Promise<QueryPlan | undefined>; set(key: string, plan: QueryPlan): Promise<void> };
  serviceMap: Record<string, { dataSource: GraphQLDataSource }>;
  recursiveSelectionsLimitDisabled: boolean;
  nonLocalSelectionsLimitDisabled: boolean;
}

/** Compiled operations kept, by plan key: clients send few distinct documents. */
const MAX_OPERATIONS = 1000;

/** Whether the walk runs every node of a plan (otherwise @apollo/gateway's executor takes the request). */
function runnable(node: QueryPlan['node'] | PlanNode): boolean {
  if (!node) return true;
  switch (node.kind) {
    case 'Sequence': case 'Parallel': return node.nodes.every(runnable);
    case 'Flatten': return runnable(node.node);
    case 'Fetch': return true;
    case 'Condition': return runnable(node.ifClause) && runnable(node.elseClause);
    default: return false;
  }
}

/**
 * Replaces the executor of an ApolloGateway (before it is loaded) with the
 * gateway's own: the same query plans, from the same planner and plan
 * cache, run by `runPlanNode` and shaped by `shapeResponse`, which merge in
 * place and compile the client's operation once instead of on every request.
 * Operations that ask for schema introspection and plans with @defer keep
 * @apollo/gateway's executor.
 */
export function useGatewayExecutor(gateway: ApolloGateway): void {
  const apolloExecutor = gateway.executor;
  const internals = gateway as unknown as GatewayInternals;
  const operations = new Map<string, ShapedOperation | null>();
  const runnablePlans = new WeakMap<QueryPlan, boolean>();
  gateway.onSchemaLoadOrUpdate(() => operations.clear());

  const planOf = async (key: string, requestContext: GatewayGraphQLRequestContext): Promise<QueryPlan> => {
    const cached = await internals.queryPlanStore.get(key);
    if (cached) return cached;
    const operation = operationFromDocument(internals.apiSchema!, requestContext.document, { operationName: requestContext.request.operationName });
    const plan = internals.queryPlanner!.buildQueryPlan(operation, {
      recursiveSelectionsLimitDisabled: internals.recursiveSelectionsLimitDisabled,
      nonLocalSelectionsLimitDisabled: internals.nonLocalSelectionsLimitDisabled,
    });
    await internals.queryPlanStore.set(key, plan).catch(() => undefined);
    return plan;
  };

  gateway.executor = async (requestContext: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> => {
    const { request, document, queryHash } = requestContext;
    // The key of Apollo's own plan cache, so both executors share its plans.
    const key = request.operationName ? createHash('sha256').update(queryHash).update(request.operationName).digest('hex') : queryHash;
    let shaped = operations.get(key);
    if (shaped === undefined) {
      shaped = compileOperation(internals.schema!, document, request.operationName);
      if (operations.size >= MAX_OPERATIONS) operations.delete(operations.keys().next().value!);
      operations.set(key, shaped);
    }
    if (!shaped || shaped.schema !== internals.schema) return apolloExecutor(requestContext);
    const operation = requestContext.operation;
    const variableErrors = variableErrorsOf(shaped.schema, operation?.variableDefinitions, request.variables);
    if (variableErrors.length > 0) return { errors: variableErrors };
    const plan = await planOf(key, requestContext);
    let ok = runnablePlans.get(plan);
    if (ok === undefined) { ok = runnable(plan.node); runnablePlans.set(plan, ok); }
    if (!ok) return apolloExecutor(requestContext);

    const services: Record<string, GraphQLDataSource> = Object.create(null);
    for (const [name, { dataSource }] of Object.entries(internals.serviceMap)) services[name] = dataSource;
    const variables = request.variables ?? {};
    const errors: GraphQLError[] = [];
    const merged: Record<string, any> = Object.create(null);
    if (plan.node) {
      await runPlanNode(plan.node as PlanNode, [], merged, {
        supergraphSchema: internals.supergraphSchema!, services, requestContext, variables, errors, root: merged,
        condition: (name) => {
          const value = Object.prototype.hasOwnProperty.call(variables, name) && variables[name] !== undefined ? variables[name] : shaped.defaults[name];
          if (typeof value !== 'boolean') throw new Error(`Invalid non-boolean value ${value} for Boolean! variable $${name}`);
          return value;
        },
      });
    }
    try {
      const { data, errors: shapingErrors } = shapeResponse(shaped, request.variables, merged);
      // As @apollo/gateway: shaping errors are only extensions, and only when nothing failed before them (they would repeat it).
      if (errors.length === 0 && shapingErrors.length > 0) return { extensions: { valueCompletion: shapingErrors }, data };
      return errors.length === 0 ? { data } : { errors, data };
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      return { errors: [new GraphQLError((error as Error).message, { originalError: error as Error })] };
    }
  };
}

function variableErrorsOf(
  schema: GraphQLSchema, definitions: readonly VariableDefinitionNode[] | undefined, values: Record<string, unknown> | undefined,
): readonly GraphQLError[] {
  if (!definitions || definitions.length === 0) return [];
  return getVariableValues(schema, definitions, values ?? {}).errors ?? [];
}
