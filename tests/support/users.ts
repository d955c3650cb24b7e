import { Role } from '@shop/platform';
import { ensureUser } from '@shop/accounts';
import { Stack } from './stack';

export interface TestUser { id: string; email: string; password: string; token: string; refreshToken: string }

let counter = 0;

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id } userErrors { code } } }`;

/** Signs a user in through the gateway. */
export async function login(stack: Stack, email: string, password: string): Promise<TestUser> {
  const res = await stack.gql(LOGIN, { input: { email, password } });
  const payload = res.data?.login;
  if (!payload?.accessToken) throw new Error(`login failed: ${JSON.stringify(res)}`);
  return { id: payload.user.id, email, password, token: payload.accessToken, refreshToken: payload.refreshToken };
}

/** Registers a new CUSTOMER through the gateway. */
export async function registerUser(stack: Stack, name = 'Test User'): Promise<TestUser> {
  counter += 1;
  const email = `user${counter}.${Date.now()}@example.com`;
  const password = 'correct-horse-9';
  const res = await stack.gql(
    `mutation($input: RegisterInput!) { register(input: $input) { accessToken refreshToken user { id } userErrors { code message } } }`,
    { input: { email, password, name } },
  );
  const payload = res.data?.register;
  if (!payload?.accessToken) throw new Error(`register failed: ${JSON.stringify(res)}`);
  return { id: payload.user.id, email, password, token: payload.accessToken, refreshToken: payload.refreshToken };
}

/** A signed-in user of a given role (created in the accounts database, as the seed does, then signed in). */
export async function userWithRole(stack: Stack, role: Role): Promise<TestUser> {
  counter += 1;
  const email = `${role.toLowerCase()}${counter}.${Date.now()}@example.com`;
  const password = 'admin-pass-123';
  await ensureUser(stack.subgraphs.accounts!.orm, { email, password, name: `${role} user`, role });
  return login(stack, email, password);
}
