import { startStack, Stack } from '../support/stack';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { codes, gql, ok } from '../support/graphql-client';
import { consumersIdle } from '../support/events';
import { CART, add, cartSql, sellable } from '../support/cart';

let stack: Stack;
let admin: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog', 'inventory', 'cart']);
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) {
  accessToken userErrors { code } user { id cart { id lines { id product { id } quantity } } } } }`;

const quantities = (cart: any) => Object.fromEntries(cart.lines.map((l: any) => [l.product.id, l.quantity]));

async function loginWith(user: TestUser, guestCartId: string): Promise<{ accessToken: string; user: any }> {
  return ok(await stack.gql(LOGIN, { input: { email: user.email, password: user.password, guestCartId } }), 'login');
}

describe('guest cart merged when login answers', () => {
  it('shows the adopted guest cart on the login payload and to the very next query', async () => {
    const lamp = await sellable(stack, admin.token, 500, 10);
    const user = await registerUser(stack);
    const guest = await add(stack, { productId: lamp, quantity: 2 });
    const login = await loginWith(user, guest.id);
    expect(login.user.cart).toMatchObject({ id: guest.id });
    expect(quantities(login.user.cart)).toEqual({ [lamp]: 2 });
    const now = (await stack.gql(CART, {}, login.accessToken)).data.cart;
    expect(now.id).toBe(guest.id);
    expect(quantities(now)).toEqual({ [lamp]: 2 });
  });

  it('adds the guest lines to the user cart before answering, and the later event changes nothing', async () => {
    const [a, c] = [await sellable(stack, admin.token, 100, 20), await sellable(stack, admin.token, 300, 5)];
    const user = await registerUser(stack);
    const own = await add(stack, { productId: a, quantity: 15 }, user.token);
    const guest = await add(stack, { productId: a, quantity: 3 });
    const withC = await add(stack, { cartId: guest.id, productId: c, quantity: 2 });
    const lineC = withC.lines.find((l: any) => l.product.id === c).id;

    const login = await loginWith(user, guest.id);
    expect(login.user.cart.id).toBe(own.id);
    expect(quantities(login.user.cart)).toEqual({ [a]: 18, [c]: 2 });
    expect(login.user.cart.lines.find((l: any) => l.product.id === c).id).toBe(lineC);
    expect(quantities((await stack.gql(CART, {}, login.accessToken)).data.cart)).toEqual({ [a]: 18, [c]: 2 });
    expect(await cartSql(stack, 'SELECT 1 FROM carts WHERE id = ?', [guest.id])).toHaveLength(0);

    await consumersIdle(stack);
    expect(quantities((await stack.gql(CART, {}, login.accessToken)).data.cart)).toEqual({ [a]: 18, [c]: 2 });
  });

  it("does not show a cart on the payload of a login that brings someone else's cart", async () => {
    const lamp = await sellable(stack, admin.token, 100, 10);
    const [ann, bob] = [await registerUser(stack), await registerUser(stack)];
    const annCart = await add(stack, { productId: lamp, quantity: 1 }, ann.token);
    const login = await loginWith(bob, annCart.id);
    expect(login.user.cart).toBeNull();
    expect(quantities((await stack.gql(CART, {}, ann.token)).data.cart)).toEqual({ [lamp]: 1 });
  });

  it('never exposes the grant or the merge to clients', async () => {
    const user = await registerUser(stack);
    const grant = await stack.gql('{ me { id viewerGrant } }', {}, user.token);
    expect(grant.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const merge = await stack.gql('mutation { mergeGuestCart(guestCartId: "00000000-0000-4000-8000-000000000000") }', {}, user.token);
    expect(merge.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it("a subgraph reached directly honours a grant only for its own user, and never as an access token", async () => {
    const lamp = await sellable(stack, admin.token, 100, 10);
    const [ann, bob] = [await registerUser(stack), await registerUser(stack)];
    await add(stack, { productId: lamp, quantity: 4 }, ann.token);
    const annGrant = (await gql(stack.subgraphs.accounts!.url, '{ me { id viewerGrant } }', {}, ann.token)).data.me.viewerGrant;
    expect(typeof annGrant).toBe('string');
    const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { cart { lines { quantity } } } } }';
    const cartUrl = stack.subgraphs.cart!.url;
    const own = await gql(cartUrl, ENTITIES, { r: [{ __typename: 'User', id: ann.id, viewerGrant: annGrant }] });
    expect(own.data._entities[0].cart.lines).toEqual([{ quantity: 4 }]);
    const other = await gql(cartUrl, ENTITIES, { r: [{ __typename: 'User', id: bob.id, viewerGrant: annGrant }] });
    expect(codes(other)).toEqual(['UNAUTHENTICATED']);
    const asToken = await gql(cartUrl, '{ cart { id } }', {}, annGrant);
    expect(codes(asToken)).toEqual(['UNAUTHENTICATED']);
  });
});
