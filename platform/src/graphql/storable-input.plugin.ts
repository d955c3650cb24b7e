import { ApolloServerPlugin } from '@apollo/server';
import { BREAK, DocumentNode, GraphQLError, Kind, ValueNode, visit } from 'graphql';

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string PostgreSQL cannot store as text: a NUL character, or UTF-16 that is not well-formed (a lone surrogate). */
export function isStorable(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** Whether every string in `value` (nested lists and objects) is storable: the common case, walked without building paths. */
function allStorable(value: unknown): boolean {
  if (typeof value === 'string') return isStorable(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) if (!allStorable(value[i])) return false;
  } else if (value && typeof value === 'object') {
    for (const key in value) {
      if (Object.prototype.hasOwnProperty.call(value, key) && !allStorable((value as Record<string, unknown>)[key])) return false;
    }
  }
  return true;
}

/** The path of the first string in `value` (nested lists and objects) that is not storable, or null. */
function badStringIn(value: unknown, path: string): string | null {
  if (allStorable(value)) return null;
  return badPathIn(value, path);
}

function badPathIn(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isStorable(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = badPathIn(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = badPathIn(item, `${path}.${key}`);
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

/** What a document alone says: its first unstorable literal, and where it uses each variable, in document order. */
interface DocumentShape {
  literal: string | null;
  uses: { path: string; variable: string }[];
}

// Apollo Server hands every request of one query text the same parsed document (its document store), so this is computed once per query.
const shapes = new WeakMap<DocumentNode, DocumentShape>();

function shapeOf(document: DocumentNode): DocumentShape {
  let shape = shapes.get(document);
  if (!shape) {
    const literal = firstArgument(document, (path, value) => (value.kind === Kind.STRING && !isStorable(value.value) ? path : null));
    const uses: DocumentShape['uses'] = [];
    firstArgument(document, (path, value) => {
      if (value.kind === Kind.VARIABLE) uses.push({ path, variable: value.name.value });
      return null;
    });
    shape = { literal, uses };
    shapes.set(document, shape);
  }
  return shape;
}

/** Where the first unstorable string of the request is, named by argument (or by variable when unused), or null. */
export function unstorableArgument(document: DocumentNode, variables: Record<string, unknown> | undefined): string | null {
  const { literal, uses } = shapeOf(document);
  if (literal || !variables) return literal;
  const inVariable = (name: string) => badStringIn(variables[name], '');
  const clean = new Set<string>();
  for (const { path, variable } of uses) {
    if (clean.has(variable)) continue;
    const found = inVariable(variable);
    if (found !== null) return `${path}${found}`;
    clean.add(variable);
  }
  for (const name of Object.keys(variables)) {
    if (clean.has(name)) continue;
    const found = inVariable(name);
    if (found !== null) return `$${name}${found}`;
  }
  return null;
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
