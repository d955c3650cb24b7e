import { DocumentNode, GraphQLError, GraphQLSchema, NoSchemaIntrospectionCustomRule, validate } from 'graphql';
import { GatewayLimits } from '@shop/platform';

export const INTROSPECTION_DISABLED = 'INTROSPECTION_DISABLED';

/** Whether the document reads the schema (`__schema` or `__type`; `__typename` is not introspection). */
export function introspects(schema: GraphQLSchema, document: DocumentNode): boolean {
  return validate(schema, document, [NoSchemaIntrospectionCustomRule]).length > 0;
}

export function introspectionRefused(mode: GatewayLimits['introspection']): GraphQLError {
  const message = mode === 'admin'
    ? 'Introspection is reserved to ADMIN callers on this gateway: send an ADMIN access token'
    : 'Introspection is disabled on this gateway';
  return new GraphQLError(message, { extensions: { code: INTROSPECTION_DISABLED, http: { status: 403 } } });
}
