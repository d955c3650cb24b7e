import { startStack, Stack } from '../support/stack';
import { codes, gql } from '../support/graphql-client';
import { login, registerUser, userWithRole } from '../support/users';

const REGISTER = `mutation($input: RegisterInput!) {
  register(input: $input) { accessToken refreshToken user { id email name role } userErrors { field message code } }
}`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id } userErrors { message code } } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken user { id } userErrors { code } } }`;
const ME = `{ me { id email name role addresses { city country } } }`;

let stack: Stack;
beforeAll(async () => { stack = await startStack(['accounts']); });
afterAll(async () => { await stack?.stop(); });

describe('accounts through the gateway', () => {
  it('registers, logs in and answers me', async () => {
    const email = `Ada.${Date.now()}@Example.com`;
    const reg = await stack.gql(REGISTER, { input: { email, password: 'analytical-engine-1', name: 'Ada' } });
    expect(reg.data.register.userErrors).toEqual([]);
    expect(reg.data.register.user).toMatchObject({ email: email.toLowerCase(), name: 'Ada', role: 'CUSTOMER' });

    const signedIn = await stack.gql(LOGIN, { input: { email, password: 'analytical-engine-1' } });
    const token = signedIn.data.login.accessToken;
    expect(token).toEqual(expect.any(String));

    const me = await stack.gql(ME, {}, token);
    expect(me.data.me).toEqual({ id: reg.data.register.user.id, email: email.toLowerCase(), name: 'Ada', role: 'CUSTOMER', addresses: [] });
    expect((await stack.gql(ME)).data.me).toBeNull();
  });

  it('refuses a duplicate email, a weak password and a bad email with codes', async () => {
    const user = await registerUser(stack);
    const dup = await stack.gql(REGISTER, { input: { email: user.email.toUpperCase(), password: 'another-pass-2', name: 'X' } });
    expect(dup.data.register.userErrors).toEqual([expect.objectContaining({ code: 'EMAIL_TAKEN', field: ['input', 'email'] })]);
    expect(dup.data.register.accessToken).toBeNull();

    const weak = await stack.gql(REGISTER, { input: { email: `w${Date.now()}@example.com`, password: 'short', name: 'X' } });
    expect(weak.data.register.userErrors.map((e: any) => e.code)).toContain('INVALID_INPUT');
    expect(weak.data.register.userErrors[0].field).toEqual(['input', 'password']);

    const bad = await stack.gql(REGISTER, { input: { email: 'not-an-email', password: 'good-pass-123', name: 'X' } });
    expect(bad.data.register.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'email'] });

    const long = await stack.gql(REGISTER, { input: { email: `${'a'.repeat(300)}@example.com`, password: 'good-pass-123', name: 'n'.repeat(500) } });
    expect(long.data.register.userErrors.map((e: any) => e.field.join('.')).sort()).toEqual(['input.email', 'input.name']);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const user = await registerUser(stack);
    const wrong = await stack.gql(LOGIN, { input: { email: user.email, password: 'wrong-password-1' } });
    const unknown = await stack.gql(LOGIN, { input: { email: `nobody${Date.now()}@example.com`, password: 'wrong-password-1' } });
    expect(wrong.data.login).toEqual(unknown.data.login);
    expect(wrong.data.login.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS', message: 'Email or password is incorrect' }]);
  });

  it('rotates refresh tokens and revokes the session when a spent one is reused', async () => {
    const user = await registerUser(stack);
    const first = await stack.gql(REFRESH, { t: user.refreshToken });
    expect(first.data.refreshSession.userErrors).toEqual([]);
    const next = first.data.refreshSession.refreshToken;
    expect(next).not.toEqual(user.refreshToken);
    expect((await stack.gql(ME, {}, first.data.refreshSession.accessToken)).data.me.id).toBe(user.id);

    const reuse = await stack.gql(REFRESH, { t: user.refreshToken });
    expect(reuse.data.refreshSession).toMatchObject({ accessToken: null, userErrors: [{ code: 'REFRESH_TOKEN_REUSED' }] });
    // The whole family is gone: the token issued after the spent one no longer works either.
    const after = await stack.gql(REFRESH, { t: next });
    expect(after.data.refreshSession.userErrors).toEqual([{ code: 'INVALID_REFRESH_TOKEN' }]);

    expect((await stack.gql(REFRESH, { t: 'garbage' })).data.refreshSession.userErrors).toEqual([{ code: 'INVALID_REFRESH_TOKEN' }]);
  });

  it('lets exactly one of two concurrent refreshes of the same token win', async () => {
    const user = await registerUser(stack);
    const results = await Promise.all([stack.gql(REFRESH, { t: user.refreshToken }), stack.gql(REFRESH, { t: user.refreshToken })]);
    const winners = results.filter((r) => r.data.refreshSession.accessToken);
    expect(winners).toHaveLength(1);
  });

  it('logs out: the refresh token stops working', async () => {
    const user = await registerUser(stack);
    const out = await stack.gql(`mutation($t: String!) { logout(refreshToken: $t) }`, { t: user.refreshToken });
    expect(out.data.logout).toBe(true);
    expect((await stack.gql(REFRESH, { t: user.refreshToken })).data.refreshSession.userErrors[0].code).toBe('INVALID_REFRESH_TOKEN');
    expect((await stack.gql(`mutation($t: String!) { logout(refreshToken: $t) }`, { t: user.refreshToken })).data.logout).toBe(false);
  });

  it('saves addresses for the signed-in user and validates them', async () => {
    const user = await registerUser(stack);
    const add = `mutation($input: AddressInput!) { addAddress(input: $input) { addresses { name city country line2 } } }`;
    const ok = await stack.gql(add, { input: { name: 'Ada', line1: '1 Main St', city: 'Paris', postalCode: '75001', country: 'fr' } }, user.token);
    expect(ok.data.addAddress.addresses).toEqual([{ name: 'Ada', city: 'Paris', country: 'FR', line2: null }]);
    const bad = await stack.gql(add, { input: { name: 'Ada', line1: '1 Main St', city: 'Paris', postalCode: '75001', country: 'France' } }, user.token);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].message).toMatch(/country/);
    const anon = await stack.gql(add, { input: { name: 'Ada', line1: '1', city: 'P', postalCode: '1', country: 'FR' } });
    expect(codes(anon)).toEqual(['UNAUTHENTICATED']);
  });

  it('lets only ADMIN change roles', async () => {
    const admin = await userWithRole(stack, 'ADMIN');
    const customer = await registerUser(stack);
    const set = `mutation($id: ID!, $role: Role!) { setUserRole(userId: $id, role: $role) { id role } }`;
    expect(codes(await stack.gql(set, { id: customer.id, role: 'ADMIN' }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await stack.gql(set, { id: customer.id, role: 'ADMIN' }, customer.token))).toEqual(['FORBIDDEN']);
    const done = await stack.gql(set, { id: customer.id, role: 'PARTNER' }, admin.token);
    expect(done.data.setUserRole).toEqual({ id: customer.id, role: 'PARTNER' });
    expect(codes(await stack.gql(set, { id: 'not-an-id', role: 'PARTNER' }, admin.token))).toEqual(['NOT_FOUND']);
    const relogged = await login(stack, customer.email, customer.password);
    expect((await stack.gql(ME, {}, relogged.token)).data.me.role).toBe('PARTNER');
  });

  it('answers UNAUTHENTICATED for an expired or forged token, never a stack trace', async () => {
    const forged = await stack.gql(ME, {}, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad');
    expect(codes(forged)).toEqual(['UNAUTHENTICATED']);
    expect(JSON.stringify(forged)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('keeps private fields private when the subgraph is reached directly', async () => {
    const a = await registerUser(stack);
    const b = await registerUser(stack);
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name email } } }`;
    const url = stack.subgraphs.accounts!.url;
    const asB = await gql(url, entities, { r: [{ __typename: 'User', id: a.id }] }, b.token);
    expect(asB.data._entities[0]).toBeNull();
    expect(codes(asB)).toEqual(['FORBIDDEN']);
    const asA = await gql(url, entities, { r: [{ __typename: 'User', id: a.id }] }, a.token);
    expect(asA.data._entities[0]).toMatchObject({ id: a.id, email: a.email });
  });
});
