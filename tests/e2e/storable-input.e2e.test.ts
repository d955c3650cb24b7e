import { startStack, Stack } from '../support/stack';
import { codes, gql, GqlResponse } from '../support/graphql-client';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { ADDRESS } from '../support/shop';

let stack: Stack;
let admin: TestUser;
let customer: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog']);
  admin = await userWithRole(stack, 'ADMIN');
  customer = await registerUser(stack);
});
afterAll(async () => { await stack?.stop(); });

const ADD_ADDRESS = 'mutation($input: AddressInput!) { addAddress(input: $input) { addresses { line1 } } }';
const CREATE_PRODUCT = 'mutation($input: ProductInput!) { createProduct(input: $input) { name } }';
const UNSTORABLE = { nul: 'Rue\u0000 de Rivoli', 'lone high surrogate': 'Rue \ud800 de Rivoli', 'lone low surrogate': '\udc00Rue' };

function expectRefused(res: GqlResponse, field: string): void {
  expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  expect(res.errors![0].extensions!.field).toBe(field);
  expect(res.errors![0].message).toContain(field);
  expect(JSON.stringify(res)).not.toMatch(/127\.0\.0\.1|stacktrace|Internal server error/);
}

describe('strings the database cannot store', () => {
  const endpoints = () => ({ gateway: stack.gatewayUrl, accounts: stack.subgraphs.accounts!.url, catalog: stack.subgraphs.catalog!.url });

  it.each(Object.entries(UNSTORABLE))('refuses a %s in a variable input field, through the gateway and at the subgraph', async (_kind, bad) => {
    for (const url of [endpoints().gateway, endpoints().accounts]) {
      expectRefused(await gql(url, ADD_ADDRESS, { input: { ...ADDRESS, line1: bad } }, customer.token), 'input.line1');
    }
    for (const url of [endpoints().gateway, endpoints().catalog]) {
      expectRefused(await gql(url, CREATE_PRODUCT, { input: { name: bad, price: 100, currency: 'EUR' } }, admin.token), 'input.name');
    }
  });

  it('refuses them in literals, in scalar arguments and inside lists, naming the argument', async () => {
    const literal = `mutation { addAddress(input: { name: "A", line1: "1 Rue", city: "Paris\\u0000", postalCode: "75001", country: "FR" }) { id } }`;
    expectRefused(await stack.gql(literal, {}, customer.token), 'input.city');
    expectRefused(await gql(endpoints().accounts, literal, {}, customer.token), 'input.city');
    const viaFragment = `query($q: String) { ...f } fragment f on Query { products(filter: { search: $q }) { totalCount } }`;
    expectRefused(await stack.gql(viaFragment, { q: 'lamp\u0000' }), 'filter.search');
    const representations = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
    expectRefused(await gql(endpoints().accounts, representations, { r: [{ __typename: 'User', id: 'x\u0000' }] }), 'representations[0].id');
  });

  it('stores text with characters outside the BMP (well-formed surrogate pairs)', async () => {
    const res = await stack.gql(ADD_ADDRESS, { input: { ...ADDRESS, line1: '1 Rue 🚲 de Rivoli' } }, customer.token);
    expect(res.errors).toBeUndefined();
    expect(res.data.addAddress.addresses.map((a: any) => a.line1)).toContain('1 Rue 🚲 de Rivoli');
  });
});
