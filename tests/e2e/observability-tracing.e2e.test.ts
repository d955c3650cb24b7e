import { startStack, Stack } from '../support/stack';
import { userWithRole, TestUser } from '../support/users';
import { must } from '../support/shop';
import { eventually } from '../support/eventually';
import { ReadableSpan } from '@shop/platform';
import { TestTracing, startTestTracing } from '../support/tracing';

/** Whether `span` lies under `ancestor` (Apollo gateway's own spans may sit in between). */
function descends(span: ReadableSpan, ancestor: ReadableSpan, spans: ReadableSpan[]): boolean {
  let parentId = span.parentSpanContext?.spanId;
  while (parentId) {
    if (parentId === ancestor.spanContext().spanId) return true;
    parentId = spans.find((s) => s.spanContext().spanId === parentId)?.parentSpanContext?.spanId;
  }
  return false;
}

let tracing: TestTracing;
let stack: Stack;
let admin: TestUser;

beforeAll(async () => {
  tracing = startTestTracing();
  stack = await startStack(['accounts', 'catalog', 'inventory']);
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => {
  await stack?.stop();
  await tracing?.stop();
});

describe('one trace from the gateway through a subgraph and NATS to a consumer', () => {
  it('createProduct: gateway request and fetch, catalog request, inventory consumer of catalog.product.created share one trace id', async () => {
    const name = `Traced lamp ${Date.now()}`;
    const created = await must(stack, 'mutation CreateTracedProduct($i: ProductInput!) { createProduct(input: $i) { id } }', {
      i: { name, description: 'Follow me', price: 1500, currency: 'EUR' },
    }, admin.token);
    expect(created.createProduct.id).toBeTruthy();

    const gatewayRequest = await eventually(async () => tracing.of('gateway')
      .find((s) => s.name === 'graphql CreateTracedProduct') ?? null, 'gateway span of the mutation');
    const traceId = gatewayRequest.spanContext().traceId;
    const fetch = tracing.of('gateway').find((s) => s.name === 'fetch catalog' && s.spanContext().traceId === traceId);
    expect(fetch && descends(fetch, gatewayRequest, tracing.spans())).toBe(true);

    const catalogRequest = tracing.of('catalog').find((s) => s.spanContext().traceId === traceId && s.name.startsWith('graphql'));
    expect(catalogRequest?.parentSpanContext?.spanId).toBe(fetch!.spanContext().spanId);

    const consumed = await eventually(async () => tracing.of('inventory').find((s) => s.name === 'consume catalog.product.created'
      && s.spanContext().traceId === traceId) ?? null, 'inventory consumer span in the same trace');
    expect(consumed.parentSpanContext?.spanId).toBe(catalogRequest!.spanContext().spanId);
    expect(consumed.attributes['shop.outcome']).toBe('ok');
    expect(consumed.attributes['shop.request_id']).toBe(gatewayRequest.attributes['shop.request_id']);
  });

  it('a caller\'s traceparent is continued, not replaced', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ query: 'query TracedProducts { products(first: 1) { edges { node { id } } } }' }),
    });
    expect(res.status).toBe(200);
    const spans = await eventually(async () => {
      const found = tracing.spans().filter((s) => s.spanContext().traceId === traceId);
      return found.some((s) => s.attributes['shop.service'] === 'catalog') ? found : null;
    }, 'spans of the caller\'s trace');
    expect(spans.find((s) => s.name === 'graphql TracedProducts')?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });
});
