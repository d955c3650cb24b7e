import { ApolloServerPlugin } from '@apollo/server';
import { BREAK, DocumentNode, GraphQLError, Kind, ValueNode, visit } from 'graphql';

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string PostgreSQL cannot store as text: a NUL character, or UTF-16 that is not well-formed (a lone surrogate). */
export function isStorable(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** The path of the first string in `value` (nested lists and objects) that is not storable, or null. */
function badStringIn(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isStorable(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = badStringIn(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = badStringIn(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Visits every argument value of the document (operation, fragments,
 * directives) with its path by argument name (`input.line1`, `ids[2]`), and
 * answers the first path `check` names.
 */
function firstArgument(document: DocumentNode, check: (path: string, value: ValueNode) => string | null): string | null {
  const inValue = (value: ValueNode, path: string): string | null => {
    if (value.kind === Kind.OBJECT) {
      for (const field of value.fields) {
        const found = inValue(field.value, `${path}.${field.name.value}`);
        if (found) return found;
      }
      return null;
    }
    if (value.kind === Kind.LIST) {
      for (let i = 0; i < value.values.length; i += 1) {
        const found = inValue(value.values[i], `${path}[${i}]`);
        if (found) return found;
      }
      return null;
    }
    return check(path, value);
  };
  let first: string | null = null;
  visit(document, {
    Argument(node) {
      first ??= inValue(node.value, node.name.value);
      return first ? BREAK : false;
    },
  });
  return first;
}

/** Where the first unstorable string of the request is, named by argument (or by variable when unused), or null. */
export function unstorableArgument(document: DocumentNode, variables: Record<string, unknown> | undefined): string | null {
  const literal = firstArgument(document, (path, value) => (value.kind === Kind.STRING && !isStorable(value.value) ? path : null));
  if (literal || !variables) return literal;
  const inVariable = (name: string) => badStringIn(variables[name], '');
  const used = firstArgument(document, (path, value) => {
    if (value.kind !== Kind.VARIABLE) return null;
    const found = inVariable(value.name.value);
    return found === null ? null : `${path}${found}`;
  });
  if (used) return used;
  const name = Object.keys(variables).find((n) => inVariable(n) !== null);
  return name === undefined ? null : `$${name}${inVariable(name)}`;
}

/**
 * Refuses, as BAD_USER_INPUT naming the argument, every string the database
 * could not store (NUL, lone surrogates) in any argument, input-object
 * field or variable, before any resolver runs: one rule for every field of
 * every subgraph (and the gateway), instead of a check per field.
 */
export function storableInputPlugin(): ApolloServerPlugin<any> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const at = unstorableArgument(document, request.variables);
          if (!at) return;
          throw new GraphQLError(`${at}: text may not contain NUL characters or unpaired UTF-16 surrogates`, {
            extensions: { code: 'BAD_USER_INPUT', field: at, http: { status: 400 } },
          });
        },
      };
    },
  };
}
