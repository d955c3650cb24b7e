import { DocumentNode, GraphQLError, GraphQLSchema, NoSchemaIntrospectionCustomRule, validate } from 'graphql';
import { GatewayLimits } from '@shop/platform';

export const INTROSPECTION_DISABLED = 'INTROSPECTION_DISABLED';

/** The answer for documents already checked: Apollo Server hands the same parsed document for every request of one query text. */
const seen = new WeakMap<DocumentNode, { schema: GraphQLSchema; introspects: boolean }>();

/** Whether the document reads the schema (`__schema` or `__type`; `__typename` is not introspection). */
export function introspects(schema: GraphQLSchema, document: DocumentNode): boolean {
  const known = seen.get(document);
  if (known?.schema === schema) return known.introspects;
  const answer = validate(schema, document, [NoSchemaIntrospectionCustomRule]).length > 0;
  seen.set(document, { schema, introspects: answer });
  return answer;
}

export function introspectionRefused(mode: GatewayLimits['introspection']): GraphQLError {
  const message = mode === 'admin'
    ? 'Introspection is reserved to ADMIN callers on this gateway: send an ADMIN access token'
    : 'Introspection is disabled on this gateway';
  return new GraphQLError(message, { extensions: { code: INTROSPECTION_DISABLED, http: { status: 403 } } });
}
