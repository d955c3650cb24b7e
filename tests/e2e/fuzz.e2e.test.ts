import { GraphQLField, GraphQLObjectType } from 'graphql';
import { startStack, Stack } from '../support/stack';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { ADDRESS, addToCart, must, productWithStock } from '../support/shop';
import { KNOWN_IDS, Random, Selector, introspect, pick, rememberIds, seededRandom } from '../support/schema-walk';

/**
 * Random operations built from the gateway's introspection only (so a new
 * subgraph's fields are covered as they are), called as anonymous, customer
 * and admin. Whatever the input, no answer may be an internal error, a 5xx,
 * a stack trace or a subgraph address. FUZZ_SEED and FUZZ_OPERATIONS
 * replay or widen a run; FUZZ_STATS=1 prints answers and time per field.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const OPERATIONS = Number(process.env.FUZZ_OPERATIONS ?? 2000);
const CONCURRENCY = 4;
const DEPTH = 3;

let stack: Stack;
let callers: { name: string; token: string | null }[];
beforeAll(async () => {
  stack = await startStack();
  const [customer, admin]: TestUser[] = [await registerUser(stack), await userWithRole(stack, 'ADMIN')];
  callers = [{ name: 'anonymous', token: null }, { name: 'customer', token: customer.token }, { name: 'admin', token: admin.token }];
  // A little real data, so that random ids sometimes name something.
  const product = await productWithStock(stack, admin, 1200, 50);
  const cart = await addToCart(stack, { productId: product, quantity: 2 }, customer.token);
  const guest = await addToCart(stack, { productId: product, quantity: 1 });
  const me = await must(stack, 'mutation($i: AddressInput!) { addAddress(input: $i) { id addresses { id } } }', { i: ADDRESS }, customer.token);
  rememberIds([product, cart, guest, me, customer.id, admin.id]);
}, 60_000);
afterAll(async () => { await stack?.stop(); });

interface Operation { label: string; query: string; variables: Record<string, unknown>; caller: { name: string; token: string | null } }

function operation(rnd: Random, root: GraphQLObjectType, kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, schema: any): Omit<Operation, 'caller'> {
  const selector = new Selector(schema, rnd, pick(rnd, [0, 0.05, 0.15, 0.4, 0.8]));
  const call = selector.call(field);
  const selection = selector.selection(field.type, DEPTH);
  const { header, values } = selector.variables();
  return { label: `${kind} ${root.name}.${field.name}`, query: `${kind}${header} { ${call} ${selection} }`, variables: values };
}

/** What is wrong with one answer, or null. */
function defect(status: number, text: string): string | null {
  if (status >= 500) return `HTTP ${status}`;
  if (/INTERNAL_SERVER_ERROR/.test(text)) return 'internal error';
  if (/stacktrace|\bat [^\s]+ \(\/|node_modules/.test(text)) return 'stack trace';
  if (/127\.0\.0\.1:\d|http:\/\//.test(text)) return 'subgraph address';
  return null;
}

describe(`schema-aware fuzzing (seed ${SEED})`, () => {
  it(`${OPERATIONS} random operations give no internal error, 5xx, stack trace or subgraph address`, async () => {
    console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} to replay), ${OPERATIONS} operations`);
    const rnd = seededRandom(SEED);
    const schema = await introspect(stack.gatewayUrl);
    const roots = ([['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const)
      .flatMap(([kind, type]) => (type ? Object.values(type.getFields()).map((f) => ({ kind, type, field: f })) : []));
    const operations: Operation[] = Array.from({ length: OPERATIONS }, () => {
      const { kind, type, field } = pick(rnd, roots);
      return { ...operation(rnd, type, kind, field, schema), caller: pick(rnd, callers) };
    });

    const started = Date.now();
    const defects = new Map<string, { count: number; example: string }>();
    let next = 0;
    const stats = new Map<string, [number, number]>();
    const worker = async () => {
      while (next < operations.length) {
        const op = operations[next++];
        const t0 = Date.now();
        const res = await fetch(stack.gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(op.caller.token ? { authorization: `Bearer ${op.caller.token}` } : {}) },
          body: JSON.stringify({ query: op.query, variables: op.variables }),
        });
        const text = await res.text();
        if (process.env.FUZZ_STATS) {
          const codes = [...text.matchAll(/"code":"([A-Z_]+)"/g)].map((m) => m[1]);
          const k = `${op.label} ${codes[0] ?? 'OK'}`;
          stats.set(k, [(stats.get(k)?.[0] ?? 0) + 1, (stats.get(k)?.[1] ?? 0) + Date.now() - t0]);
        }
        const found = defect(res.status, text);
        if (!found) continue;
        const key = `${op.label}: ${found}`;
        const seen = defects.get(key);
        if (seen) seen.count += 1;
        else defects.set(key, { count: 1, example: `as ${op.caller.name}\n${op.query}\n${JSON.stringify(op.variables).slice(0, 1500)}\n→ ${text.slice(0, 1500)}` });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    console.log(`fuzz: ${OPERATIONS} operations in ${Date.now() - started} ms, ${defects.size} kinds of defect`);
    if (process.env.FUZZ_STATS) console.log([...stats].sort((a, b) => b[1][1] - a[1][1]).map(([k, [n, ms]]) => `${k} ${n} ${ms}ms`).join('\n'));
    const report = [...defects].map(([key, { count, example }]) => `${key} (${count}×)\n${example}`);
    expect(report).toEqual([]);
  }, 300_000);
});
