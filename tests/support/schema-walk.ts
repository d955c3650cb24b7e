import {
  GraphQLArgument, GraphQLField, GraphQLInputType, GraphQLNamedType, GraphQLOutputType, GraphQLSchema, IntrospectionQuery,
  buildClientSchema, getIntrospectionQuery, getNamedType, isEnumType, isInputObjectType, isInterfaceType, isLeafType, isListType,
  isNonNullType, isObjectType, isScalarType, isUnionType,
} from 'graphql';
import { gql } from './graphql-client';

/** An endpoint's schema as a client sees it, from introspection only. */
export async function introspect(url: string, token?: string): Promise<GraphQLSchema> {
  const res = await gql<IntrospectionQuery>(url, getIntrospectionQuery(), {}, token);
  if (res.errors?.length) throw new Error(`introspection failed: ${JSON.stringify(res.errors)}`);
  return buildClientSchema(res.data);
}

/** A small seeded PRNG (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
export const pick = <T>(rnd: Random, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];

/** Ids that cannot name anything, each a different way of being wrong. */
export const MALFORMED_IDS: readonly unknown[] = [
  'x', '', ' ', 'not-a-uuid', '123', '00000000-0000-0000-0000-00000000000g', '{00000000-0000-4000-8000-000000000000}',
  "' OR 1=1 --", 'a'.repeat(5000), 'x\u0000', '\ud800',
];

const HOSTILE_STRINGS: readonly string[] = [
  '', ' ', 'a', 'x\u0000y', '\u0000', '\ud800', '\udfff', '🚲', "'; DROP TABLE users; --", '%', '_', '\\', '"', '<script>',
  'a'.repeat(10_000), '∑'.repeat(300), '-1', '1e309', 'NaN', 'null', 'yesterday', '2026-13-45T99:99:99Z', 'or', '"unterminated',
  '-', '!:*&|', 'EUR', 'eur', 'XXX', 'FR', 'admin@shop.local', 'correct-horse-9',
];

const NUMBERS: readonly unknown[] = [0, 1, -1, 20, 100, 101, -2147483648, 2147483647, 1.5, 1e300, -1e300];

/** A value for an input type: right or wrong in many ways, sometimes of another type altogether (refused by validation). */
export function randomValue(rnd: Random, type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return rnd() < 0.03 ? null : randomValue(rnd, type.ofType, depth);
  if (rnd() < 0.12) return null;
  if (isListType(type)) {
    const n = pick(rnd, [0, 1, 2, 3, 30]);
    return Array.from({ length: n }, () => randomValue(rnd, type.ofType, depth + 1));
  }
  if (isEnumType(type)) return rnd() < 0.9 ? pick(rnd, type.getValues()).value : 'NOT_A_VALUE';
  if (isInputObjectType(type)) {
    if (depth > 4) return null;
    const out: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) || rnd() < 0.6) out[field.name] = randomValue(rnd, field.type, depth + 1);
    }
    return out;
  }
  switch (isScalarType(type) ? type.name : '') {
    case 'ID': return rnd() < 0.5 ? pick(rnd, MALFORMED_IDS) : pick(rnd, KNOWN_IDS.length ? KNOWN_IDS : MALFORMED_IDS);
    case 'Int': return rnd() < 0.95 ? pick(rnd, NUMBERS.filter(Number.isInteger)) : pick(rnd, NUMBERS);
    case 'Float': return pick(rnd, NUMBERS);
    case 'Boolean': return rnd() < 0.95 ? rnd() < 0.5 : 'true';
    case 'DateTime': return pick(rnd, ['2026-11-22T10:00:00Z', '2099-01-01T00:00:00.000Z', '1970-01-01T00:00:00Z', 'yesterday',
      '2026-13-45T99:99:99Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '', 0]);
    default: return rnd() < 0.9 ? pick(rnd, HOSTILE_STRINGS) : pick(rnd, NUMBERS);
  }
}

/** Ids of real rows seen in answers, so that random ids sometimes name something. */
export const KNOWN_IDS: string[] = [];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Remembers the ids an answer holds (bounded). */
export function rememberIds(data: unknown): void {
  if (typeof data === 'string') {
    if (UUID.test(data) && !KNOWN_IDS.includes(data)) {
      if (KNOWN_IDS.length >= 200) KNOWN_IDS.shift();
      KNOWN_IDS.push(data);
    }
  } else if (Array.isArray(data)) data.forEach(rememberIds);
  else if (data && typeof data === 'object') Object.values(data).forEach(rememberIds);
}

/** Builds a selection for `type`: every field (with random arguments for those that take some) down to `depth`. */
export class Selector {
  private vars = new Map<string, { type: GraphQLInputType; value: unknown }>();

  constructor(private schema: GraphQLSchema, private rnd: Random, private maxFirst = 5) {}

  /** Variables declared so far, for the operation header and the request. */
  variables(): { header: string; values: Record<string, unknown> } {
    const defs = [...this.vars].map(([name, v]) => `$${name}: ${String(v.type)}`);
    return { header: defs.length ? `(${defs.join(', ')})` : '', values: Object.fromEntries([...this.vars].map(([n, v]) => [n, v.value])) };
  }

  /** `name(args)` for a field, arguments passed as variables (refused values included). */
  call(field: GraphQLField<unknown, unknown>): string {
    const args = field.args.filter((a) => isNonNullType(a.type) || this.rnd() < 0.5).map((a) => `${a.name}: $${this.variable(a)}`);
    return args.length ? `${field.name}(${args.join(', ')})` : field.name;
  }

  private variable(arg: GraphQLArgument): string {
    const name = `v${this.vars.size}`;
    let value = randomValue(this.rnd, arg.type);
    // Page sizes stay small so that one operation never becomes a bulk read.
    if (arg.name === 'first' || arg.name === 'last' || arg.name === 'limit') value = this.rnd() < 0.8 ? Math.floor(this.rnd() * this.maxFirst) + 1 : pick(this.rnd, [0, -1, 101, 2147483647]);
    this.vars.set(name, { type: arg.type, value });
    return name;
  }

  selection(type: GraphQLOutputType, depth: number): string {
    const named = getNamedType(type) as GraphQLNamedType;
    if (isLeafType(named)) return '';
    if (isUnionType(named) || isInterfaceType(named)) {
      const members = isUnionType(named) ? named.getTypes() : this.schema.getPossibleTypes(named);
      const parts = depth > 0 ? members.map((m) => `... on ${m.name} ${this.selection(m, depth - 1)}`) : [];
      return `{ __typename ${parts.join(' ')} }`;
    }
    if (!isObjectType(named) || depth <= 0) return '{ __typename }';
    const fields = Object.values(named.getFields()).filter(() => this.rnd() < 0.7);
    const parts = fields.map((f) => `${this.call(f)} ${this.selection(f.type, depth - 1)}`);
    return `{ __typename ${parts.join(' ')} }`;
  }
}
