import { subgraphNames } from '../../subgraphs';
import { startStack, Stack } from '../support/stack';

// The whole shop: readiness probes every subgraph of the supergraph, and the API schema spans them all.
let stack: Stack;
let origin: string;
beforeAll(async () => {
  stack = await startStack();
  origin = new URL(stack.gatewayUrl).origin;
});
afterAll(async () => { await stack?.stop(); });

const SCHEMA = `{ __schema {
  queryType { fields { name } }
  mutationType { fields { name } }
  subscriptionType { fields { name } }
  types { name }
} }`;

describe('the API schema the gateway serves', () => {
  it('answers introspection with the public contract and without @inaccessible fields and types', async () => {
    const res = await stack.gql(SCHEMA);
    expect(res.errors).toBeUndefined();
    const schema = res.data.__schema;
    const fields = (type: { fields: { name: string }[] }) => type.fields.map((f) => f.name);
    const queries = fields(schema.queryType);
    const mutations = fields(schema.mutationType);
    expect(queries).toEqual(expect.arrayContaining(['me', 'products']));
    expect(mutations).toEqual(expect.arrayContaining(['login', 'checkout']));
    expect(fields(schema.subscriptionType)).toEqual(expect.arrayContaining(['stockChanged', 'orderUpdated']));
    for (const hidden of ['checkoutCart', 'quoteCoupon', 'claimCoupon']) {
      expect([...queries, ...mutations]).not.toContain(hidden);
    }
    const types = schema.types.map((t: { name: string }) => t.name);
    expect(types).toContain('Product');
    for (const hidden of ['CheckoutCart', 'CheckoutCartLine', 'CouponQuote']) expect(types).not.toContain(hidden);
  });

  it('refuses to run an @inaccessible field', async () => {
    const res = await stack.gql('{ checkoutCart(id: "x") { id } }');
    expect(res.status).toBe(400);
    expect(res.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('gateway readiness', () => {
  it('is ready while every subgraph answers, listing them', async () => {
    const res = await fetch(`${origin}/ready`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe('ready');
    expect([...body.subgraphs].sort()).toEqual([...subgraphNames].sort());
  });

  // Last in the file: it stops a subgraph of the shared stack.
  it('answers 503 naming the subgraph that stopped', async () => {
    await stack.subgraphs.shipping!.stop();
    const res = await fetch(`${origin}/ready`);
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.status).toBe('unavailable');
    expect(Object.keys(body.subgraphs)).toEqual(['shipping']);
    expect((await fetch(`${origin}/health`)).status).toBe(200);
  });
});
