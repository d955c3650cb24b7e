import { GraphQLInputType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType } from 'graphql';

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

const DATES = ['2026-11-22T10:00:00Z', '2099-01-01T00:00:00.000Z', '1970-01-01T00:00:00Z', 'yesterday',
  '2026-13-45T99:99:99Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '', 0];

let sequence = 0;

/** A value a client would plausibly send for a leaf named `name` (guessed from the name alone, for any schema). */
function plausibleLeaf(rnd: Random, type: string, name: string): unknown {
  const n = name.toLowerCase();
  sequence += 1;
  switch (type) {
    case 'ID': return KNOWN_IDS.length ? pick(rnd, KNOWN_IDS) : '00000000-0000-4000-8000-000000000000';
    case 'Int':
      if (/first|last|limit/.test(n)) return 1 + Math.floor(rnd() * 5);
      if (/quantity|count/.test(n)) return 1 + Math.floor(rnd() * 3);
      if (/price|amount|value|subtotal|total|min/.test(n)) return pick(rnd, [100, 500, 1200, 5000]);
      return Math.floor(rnd() * 20);
    case 'Float': return pick(rnd, [0.5, 1, 1.1, 2]);
    case 'Boolean': return rnd() < 0.5;
    case 'DateTime': return new Date(Date.UTC(2099, 0, 1) + Math.floor(rnd() * 1e9)).toISOString();
    default:
      if (n.includes('email')) return `fuzz${sequence}.${Math.floor(rnd() * 1e6)}@example.com`;
      if (n.includes('password')) return 'correct-horse-9';
      if (n.includes('country')) return pick(rnd, ['FR', 'DE', 'US']);
      if (n.includes('currency')) return pick(rnd, ['EUR', 'USD', 'GBP']);
      if (n.includes('postal')) return '75001';
      if (n.includes('code')) return `FUZZ${sequence}`;
      if (n.includes('slug')) return `lamp-${sequence}`;
      if (n.includes('search') || n === 'q') return pick(rnd, ['lamp', 'chair -red', '"desk lamp"']);
      if (n.includes('token')) return `${pick(rnd, KNOWN_IDS.length ? KNOWN_IDS : ['x'])}.c2VjcmV0`;
      return pick(rnd, ['Lamp', 'Ada Lovelace', '1 Rue de Rivoli', 'Paris', 'A fine thing']);
  }
}

/** A value that is wrong in some way for a leaf of this type: hostile text, extreme numbers, malformed ids and dates, the wrong type. */
function hostileLeaf(rnd: Random, type: string): unknown {
  if (rnd() < 0.05) return pick(rnd, [...NUMBERS, 'text', true, {}, []]);
  switch (type) {
    case 'ID': return pick(rnd, MALFORMED_IDS);
    case 'Int': return pick(rnd, NUMBERS.filter(Number.isInteger));
    case 'Float': return pick(rnd, NUMBERS);
    case 'Boolean': return rnd() < 0.5;
    case 'DateTime': return pick(rnd, DATES);
    default: return pick(rnd, HOSTILE_STRINGS);
  }
}

/**
 * A value for an input type: plausible, with each leaf hostile with
 * probability `hostility` (nulls, empty and huge lists, unknown enum
 * values and missing fields included).
 */
export function randomValue(rnd: Random, type: GraphQLInputType, name: string, hostility: number, depth = 0): unknown {
  const hostile = () => rnd() < hostility;
  if (isNonNullType(type)) return hostile() && rnd() < 0.1 ? null : randomValue(rnd, type.ofType, name, hostility, depth);
  if (hostile() && rnd() < 0.2) return null;
  if (isListType(type)) {
    const n = hostile() ? pick(rnd, [0, 30]) : 1 + Math.floor(rnd() * 2);
    return Array.from({ length: n }, () => randomValue(rnd, type.ofType, name, hostility, depth + 1));
  }
  if (isEnumType(type)) return hostile() && rnd() < 0.2 ? 'NOT_A_VALUE' : pick(rnd, type.getValues()).value;
  if (isInputObjectType(type)) {
    if (depth > 4) return null;
    const out: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) ? !(hostile() && rnd() < 0.1) : rnd() < 0.6) {
        out[field.name] = randomValue(rnd, field.type, field.name, hostility, depth + 1);
      }
    }
    return out;
  }
  const scalar = isScalarType(type) ? type.name : 'String';
  return hostile() ? hostileLeaf(rnd, scalar) : plausibleLeaf(rnd, scalar, name);
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
