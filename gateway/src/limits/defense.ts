import { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { Logger, PlatformConfig } from '@shop/platform';
import { GatewayContext } from '../data-source';
import { QueryLimits } from './query-limits';
import { Safelist, notAllowed } from './safelist';
import { introspectionRefused, introspects } from './introspection';
import { isAdminCaller } from './caller';

/** One operation as the gateway is about to run it. */
export interface OperationToCheck {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables?: Record<string, unknown>;
  /** The document's text as the client sent it (what the safelist hashes). */
  source: string;
  authorization?: string;
}

/** What the gateway refuses before running anything, wired into Apollo Server and graphql-ws alike. */
export interface GatewayDefense {
  /** Apollo Server options: parse limit, APQ store, the checking plugins. */
  apollo: {
    parseOptions: { maxTokens: number };
    persistedQueries?: { cache: ReturnType<Safelist['asPersistedQueryCache']> };
    plugins: ApolloServerPlugin<GatewayContext>[];
  };
  /** The first reason to refuse the operation, or null: safelist, then introspection, then size limits. */
  check(op: OperationToCheck): Promise<GraphQLError | null>;
}

export function gatewayDefense(config: PlatformConfig, log: Logger): GatewayDefense {
  const settings = config.gatewayLimits;
  const limits = new QueryLimits(settings);
  const safelist = settings.safelistPath ? Safelist.load(settings.safelistPath) : null;
  if (safelist) log.info({ operations: safelist.size }, 'safelist mode: only registered operations run (ADMIN callers excepted)');

  const check = async (op: OperationToCheck): Promise<GraphQLError | null> => {
    let admin: Promise<boolean> | null = null;
    const isAdmin = () => (admin ??= isAdminCaller(op.authorization, config));
    if (safelist && !safelist.allows(op.source) && !(await isAdmin())) return notAllowed();
    if (settings.introspection !== 'on' && introspects(op.schema, op.document)) {
      if (settings.introspection === 'off' || !(await isAdmin())) return introspectionRefused(settings.introspection);
    }
    return limits.check(op.schema, op.document, op.operation, op.variables);
  };

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, source, request, contextValue }) {
          if (!operation) return;
          const refused = await check({ schema, document, operation, source, variables: request.variables, authorization: contextValue.authorization });
          if (refused) throw refused;
        },
      };
    },
  };
  // Where the schema is not public, error messages must not spell it out either ("Did you mean ...").
  const suggestions = settings.introspection === 'on'
    ? []
    : new ApolloArmor({
      blockFieldSuggestion: { enabled: true },
      costLimit: { enabled: false }, maxAliases: { enabled: false }, maxDepth: { enabled: false },
      maxDirectives: { enabled: false }, maxTokens: { enabled: false },
    }).protect().plugins as ApolloServerPlugin<GatewayContext>[];

  return {
    apollo: {
      parseOptions: limits.parseOptions,
      ...(safelist ? { persistedQueries: { cache: safelist.asPersistedQueryCache() } } : {}),
      plugins: [plugin, ...suggestions],
    },
    check,
  };
}
