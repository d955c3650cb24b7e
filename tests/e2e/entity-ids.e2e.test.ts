import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLObjectType, GraphQLSchema, Kind, getNamedType, isLeafType, isNonNullType, isUnionType } from 'graphql';
import { SubgraphName } from '@shop/platform';
import { subgraphDefinitions, subgraphNames } from '../../subgraphs';
import { startStack, Stack } from '../support/stack';
import { GqlResponse, gql } from '../support/graphql-client';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { MALFORMED_IDS, introspect } from '../support/schema-walk';

let stack: Stack;
let callers: { name: string; token?: string }[];
beforeAll(async () => {
  stack = await startStack();
  const [customer, admin]: TestUser[] = [await registerUser(stack), await userWithRole(stack, 'ADMIN')];
  callers = [{ name: 'anonymous' }, { name: 'customer', token: customer.token }, { name: 'admin', token: admin.token }];
});
afterAll(async () => { await stack?.stop(); });

/** Every entity type a subgraph resolves, with the fields of its keys, read from its own schema. */
function entityTypes(schema: GraphQLSchema): { type: GraphQLObjectType; keyFields: string[] }[] {
  const union = schema.getType('_Entity');
  if (!isUnionType(union)) return [];
  return union.getTypes().map((type) => ({
    type,
    keyFields: (type.astNode?.directives ?? []).filter((d) => d.name.value === 'key')
      .flatMap((d) => d.arguments?.filter((a) => a.name.value === 'fields') ?? [])
      .flatMap((a) => (a.value.kind === Kind.STRING ? a.value.value.split(/\s+/).filter(Boolean) : [])),
  }));
}

/** Every field of the type that needs no arguments, leaves as they are and objects by their __typename. */
function allFields(type: GraphQLObjectType): string {
  const external = (f: { astNode?: { directives?: readonly { name: { value: string } }[] } | null }) =>
    (f.astNode?.directives ?? []).some((d) => d.name.value === 'external');
  return Object.values(type.getFields()).filter((f) => !f.args.some((a) => isNonNullType(a.type)) && !external(f))
    .map((f) => (isLeafType(getNamedType(f.type)) ? f.name : `${f.name} { __typename }`)).join(' ');
}

function expectNoInternalError(res: GqlResponse, what: string): void {
  const bad = (res.errors ?? []).filter((e) => !e.extensions?.code || e.extensions.code === 'INTERNAL_SERVER_ERROR');
  if (bad.length || res.status >= 500) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.errors)}`);
  expect(JSON.stringify(res)).not.toMatch(/127\.0\.0\.1:\d|http:\/\/|stacktrace/);
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const cases = subgraphNames.flatMap((name) => {
  const schema = buildSubgraphSchema({ typeDefs: subgraphDefinitions[name]!.typeDefs });
  return entityTypes(schema).map(({ type, keyFields }) => ({ name, type, keyFields, label: `${name} ${type.name}` }));
});

describe('malformed ids in _entities representations, at each subgraph', () => {
  it('covers every entity type of every registered subgraph', () => {
    expect(cases.length).toBeGreaterThanOrEqual(subgraphNames.length - 1);
  });

  it.each(cases.map((c) => [c.label, c] as const))('%s: malformed ids resolve to null, an unknown id is no internal error', async (_label, c) => {
    const url = stack.subgraphs[c.name as SubgraphName]!.url;
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on ${c.type.name} { ${allFields(c.type)} } } }`;
    const malformed = MALFORMED_IDS.filter((id) => typeof id !== 'string' || (!id.includes('\u0000') && !id.includes('\ud800')))
      .concat([42, true, {}, [], null]);
    const representations = malformed.map((bad) => ({ __typename: c.type.name, ...Object.fromEntries(c.keyFields.map((k) => [k, bad])) }));
    for (const caller of callers) {
      const res = await gql(url, query, { r: representations }, caller.token);
      expectNoInternalError(res, `${c.label} as ${caller.name}`);
      expect(res.data._entities).toEqual(representations.map(() => null));
      const unknown = await gql(url, query, { r: [{ __typename: c.type.name, ...Object.fromEntries(c.keyFields.map((k) => [k, UNKNOWN_ID])) }] }, caller.token);
      expectNoInternalError(unknown, `${c.label} unknown id as ${caller.name}`);
    }
  });

  it.each(subgraphNames)('%s: a representation of a type it does not resolve is BAD_USER_INPUT', async (name) => {
    const url = stack.subgraphs[name]!.url;
    const hasEntities = cases.some((c) => c.name === name);
    for (const r of [{ __typename: 'NoSuchType', id: UNKNOWN_ID }, { __typename: 'Query' }]) {
      const res = await gql(url, 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [r] });
      expect(res.errors?.[0]?.extensions?.code).toBe(hasEntities ? 'BAD_USER_INPUT' : 'GRAPHQL_VALIDATION_FAILED');
      expectNoInternalError(res, name);
    }
  });
});

describe('fields a representation must bring (@requires), at each subgraph', () => {
  const requiring = cases.flatMap((c) => Object.values(c.type.getFields())
    .filter((f) => (f.astNode?.directives ?? []).some((d) => d.name.value === 'requires'))
    .map((f) => [`${c.label}.${f.name}`, c, f.name] as const));

  it.each(requiring)('%s: missing or ill-typed required fields are refused as client errors', async (_label, c, field) => {
    const url = stack.subgraphs[c.name as SubgraphName]!.url;
    const sub = isLeafType(getNamedType(c.type.getFields()[field].type)) ? '' : '{ __typename }';
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${c.type.name} { ${field} ${sub} } } }`;
    const base = { __typename: c.type.name, ...Object.fromEntries(c.keyFields.map((k) => [k, UNKNOWN_ID])) };
    for (const extra of [{}, { subtotal: 'x', couponCode: 7, viewerGrant: 42 }, { subtotal: { amount: 'x', currency: 1 } }]) {
      for (const caller of callers) {
        const res = await gql(url, query, { r: [{ ...base, ...extra }] }, caller.token);
        expectNoInternalError(res, `${c.label}.${field} as ${caller.name}`);
      }
    }
  });
});

describe('malformed ids through the gateway', () => {
  it('every query field taking ids answers null or a client error, never an internal one, with entity fields from other subgraphs', async () => {
    const schema = await introspect(stack.gatewayUrl);
    const fields = Object.values(schema.getQueryType()!.getFields())
      .filter((f) => f.args.some((a) => getNamedType(a.type).name === 'ID'));
    expect(fields.length).toBeGreaterThanOrEqual(3);
    for (const field of fields) {
      const type = getNamedType(field.type);
      const selection = isLeafType(type) ? '' : `{ __typename ${type instanceof GraphQLObjectType ? nestedFields(type) : ''} }`;
      for (const bad of MALFORMED_IDS.slice(0, 6).concat([UNKNOWN_ID])) {
        const args = field.args.filter((a) => getNamedType(a.type).name === 'ID' || isNonNullType(a.type));
        const header = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
        const query = `query(${header}) { ${field.name}(${args.map((a) => `${a.name}: $${a.name}`).join(', ')}) ${selection} }`;
        const variables = Object.fromEntries(args.map((a) => [a.name, String(a.type).startsWith('[') ? [bad] : bad]));
        for (const caller of callers) expectNoInternalError(await stack.gql(query, variables, caller.token), `${field.name}(${JSON.stringify(bad).slice(0, 20)}) as ${caller.name}`);
      }
    }
  });
});

/** Two levels of fields that need no arguments, to reach entities resolved by other subgraphs. */
function nestedFields(type: GraphQLObjectType, depth = 2): string {
  return Object.values(type.getFields()).filter((f) => !f.args.some((a) => isNonNullType(a.type))).map((f) => {
    const inner = getNamedType(f.type);
    if (isLeafType(inner)) return f.name;
    return depth > 1 && inner instanceof GraphQLObjectType ? `${f.name} { __typename ${nestedFields(inner, depth - 1)} }` : `${f.name} { __typename }`;
  }).join(' ');
}
