import { GraphQLError } from 'graphql';
import { UserError } from '@shop/platform';

/**
 * The catalog's mutations return the object itself (the contract says
 * `Product!`), so refused input is a BAD_USER_INPUT GraphQL error rather
 * than `userErrors`. `extensions.field` names the input field at fault and
 * `extensions.reason` is a stable code (INVALID_INPUT, SLUG_TAKEN, ...).
 */
export function inputError(message: string, field: string | null, reason: string): GraphQLError {
  return new GraphQLError(field ? `${field}: ${message}` : message, {
    extensions: { code: 'BAD_USER_INPUT', reason, ...(field ? { field } : {}) },
  });
}

/** One error for every validation issue: the message lists them all, `field` names the first. */
export function invalidInput(userErrors: UserError[]): GraphQLError {
  const message = userErrors.map((e) => `${e.field?.join('.')}: ${e.message}`).join('; ');
  const fields = userErrors.map((e) => e.field?.join('.') ?? '');
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT', field: fields[0], fields } });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });
}
