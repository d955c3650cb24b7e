import { GraphQLSchema, isScalarType } from 'graphql';
import { customScalars } from '@shop/platform';

/**
 * The supergraph only names custom scalars, so the gateway would accept any
 * value for them and leave the refusal to a subgraph. Giving the gateway's
 * schema the platform's parsing makes a bad DateTime (variable or literal)
 * a BAD_USER_INPUT before anything leaves the gateway. Only input checking
 * changes: subgraphs still receive the values exactly as the client sent them.
 */
export function checkCustomScalars(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    const known = isScalarType(type) ? customScalars[type.name] : undefined;
    if (!known || !isScalarType(type)) continue;
    type.parseValue = (value) => { known.parseValue(value); return value; };
    type.parseLiteral = (ast, variables) => known.parseLiteral(ast, variables);
  }
}
