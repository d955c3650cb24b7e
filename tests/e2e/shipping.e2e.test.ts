import { SHIPPING_METHOD_IDS } from '@shop/shipping';
import { startStack, Stack } from '../support/stack';
import { codes, gql } from '../support/graphql-client';

const METHODS = `query($c: String!) { shippingMethods(country: $c) { id name price { amount currency } estimatedDays minEstimatedDays } }`;

let stack: Stack;
beforeAll(async () => { stack = await startStack(['shipping']); });
afterAll(async () => { await stack?.stop(); });

const standardEu = { id: SHIPPING_METHOD_IDS.euStandard, name: 'Standard', price: { amount: 499, currency: 'EUR' }, estimatedDays: 5, minEstimatedDays: 3 };
const expressEu = { id: SHIPPING_METHOD_IDS.euExpress, name: 'Express', price: { amount: 1499, currency: 'EUR' }, estimatedDays: 2, minEstimatedDays: 1 };

describe('shipping methods through the gateway', () => {
  it('offers the EU methods, cheapest first, to an EU country in any case', async () => {
    for (const country of ['FR', 'fr', ' de ', 'HU']) {
      const res = await stack.gql(METHODS, { c: country });
      expect(res.errors).toBeUndefined();
      expect(res.data.shippingMethods).toEqual([standardEu, expressEu]);
    }
  });

  it('offers US addresses the US method only', async () => {
    const res = await stack.gql(METHODS, { c: 'US' });
    expect(res.data.shippingMethods).toEqual([
      { id: SHIPPING_METHOD_IDS.usStandard, name: 'Standard', price: { amount: 799, currency: 'USD' }, estimatedDays: 7, minEstimatedDays: 3 },
    ]);
  });

  it('offers every other country the international method', async () => {
    for (const country of ['JP', 'gb', 'CH']) {
      const res = await stack.gql(METHODS, { c: country });
      expect(res.data.shippingMethods).toEqual([
        { id: SHIPPING_METHOD_IDS.international, name: 'International', price: { amount: 2499, currency: 'EUR' }, estimatedDays: 14, minEstimatedDays: 7 },
      ]);
    }
  });

  it.each(['XX', 'EU', 'ZZ', 'FRA', 'F', '', '*', 'f1'])('refuses %j with BAD_USER_INPUT', async (country) => {
    const res = await stack.gql(METHODS, { c: country });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].message).toMatch(/ISO 3166-1 alpha-2/);
  });

  it('answers orders calling the subgraph directly, without credentials, as checkout does', async () => {
    const res = await gql(stack.subgraphs.shipping!.url, 'query($c: String!) { shippingMethods(country: $c) { id name price { amount currency } } }', { c: 'FR' });
    expect(res.errors).toBeUndefined();
    expect(res.data.shippingMethods.map((m: any) => m.id)).toEqual([SHIPPING_METHOD_IDS.euStandard, SHIPPING_METHOD_IDS.euExpress]);
  });
});
