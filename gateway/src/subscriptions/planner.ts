import { DocumentNode, GraphQLError, GraphQLSchema, print } from 'graphql';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, SubscriptionNode } from '@apollo/query-planner';
import { buildOperationContext } from '@apollo/gateway';

interface PlannerState {
  apiSchema: GraphQLSchema;
  /** graphql-js form of the supergraph, which type conditions in plans refer to. */
  supergraphSchema: GraphQLSchema;
  supergraph: Supergraph;
  planner: QueryPlanner;
  urls: Map<string, string>;
  plans: Map<string, SubscriptionNode>;
}

/** Plans kept per schema: many clients send the same few subscription documents. */
const MAX_CACHED_PLANS = 500;

/**
 * Plans subscriptions over the supergraph the gateway serves. @apollo/gateway
 * plans them but refuses to run them, so this keeps its own QueryPlanner,
 * rebuilt whenever the gateway loads or updates its schema.
 */
export class SubscriptionPlanner {
  private state: PlannerState | null = null;

  /** `routeOf` maps a subgraph and the URL composed into the supergraph to where this deployment reaches it. */
  constructor(private readonly routeOf: (name: string, composedUrl: string) => string) {}

  /** Takes a new schema (wired to `gateway.onSchemaLoadOrUpdate`). */
  update(apiSchema: GraphQLSchema, coreSupergraphSdl: string): void {
    const supergraph = Supergraph.build(coreSupergraphSdl);
    const urls = new Map(supergraph.subgraphsMetadata().map(({ name, url }) => [name, this.routeOf(name, url)]));
    this.state = {
      apiSchema,
      supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
      supergraph,
      planner: new QueryPlanner(supergraph),
      urls,
      plans: new Map(),
    };
  }

  /** The client-facing schema, or null before the gateway has loaded one. */
  get apiSchema(): GraphQLSchema | null {
    return this.state?.apiSchema ?? null;
  }

  get supergraphSchema(): GraphQLSchema {
    return this.current().supergraphSchema;
  }

  /** HTTP URL of a subgraph. */
  urlOf(serviceName: string): string {
    const url = this.current().urls.get(serviceName);
    if (!url) throw new Error(`No route to subgraph "${serviceName}"`);
    return url;
  }

  /** The plan of a validated subscription document: a primary fetch and the entity fetches of `rest`. */
  plan(document: DocumentNode, operationName: string | undefined): SubscriptionNode {
    const state = this.current();
    const key = `${operationName ?? ''}\n${print(document)}`;
    const cached = state.plans.get(key);
    if (cached) return cached;
    // Picks the operation the same way the gateway does (and fails the same way).
    buildOperationContext({ schema: state.apiSchema, operationDocument: document, operationName });
    const operation = operationFromDocument(state.supergraph.apiSchema(), document, { operationName, validate: false });
    const node = state.planner.buildQueryPlan(operation).node;
    if (node?.kind !== 'Subscription') {
      throw new GraphQLError('Only subscriptions are planned here', { extensions: { code: 'BAD_REQUEST' } });
    }
    if (state.plans.size >= MAX_CACHED_PLANS) state.plans.delete(state.plans.keys().next().value!);
    state.plans.set(key, node);
    return node;
  }

  private current(): PlannerState {
    if (!this.state) throw new GraphQLError('The gateway has not loaded its schema yet', { extensions: { code: 'SERVICE_UNAVAILABLE' } });
    return this.state;
  }
}
