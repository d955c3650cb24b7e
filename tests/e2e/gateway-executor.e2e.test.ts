import http from 'node:http';
import { AddressInfo } from 'node:net';
import { GraphQLError, parse } from 'graphql';
import { ApolloServer } from '@apollo/server';
import express from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { loadConfig, mergeConfig } from '@shop/platform';
import { RunningGateway, startGateway } from '@shop/gateway';

/**
 * The gateway's own plan executor answers exactly what @apollo/gateway's
 * does: two gateways, one per executor, over the same two subgraphs, asked
 * the same operations (aliases, fragments on interfaces, @skip/@include,
 * __typename, entities repeated in a list, subgraph errors on entities,
 * nulls in non-null fields, introspection, bad variables, a mutation).
 */
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n';
const SHELF = `${LINK}
interface Item { id: ID! }
type Book implements Item @key(fields: "id") { id: ID! title: String! }
type Pen implements Item @key(fields: "id") { id: ID! color: String }
type Query { books: [Book!]! book(id: ID!): Book shelf: [Item] first(n: Int = 2): [Book] }
type Mutation { rename(id: ID!, title: String!): Book }`;
const NOTES = `${LINK}
type Book @key(fields: "id") { id: ID! rating: Int! flaky: String notes: [Note!] strict: Note! }
type Note { text: String! by: String }`;

const titles: Record<string, string> = { b1: 'Dune', b2: 'Emma', b3: 'Ulysses' };
const book = (id: string) => ({ __typename: 'Book', id, title: titles[id] ?? id });
const shelfResolvers = {
  Query: {
    books: () => ['b1', 'b2', 'b1', 'b3', 'b2'].map(book),
    book: (_: unknown, { id }: { id: string }) => (titles[id] ? book(id) : null),
    shelf: () => [book('b2'), { __typename: 'Pen', id: 'p1', color: 'blue' }, null, book('b1')],
    first: (_: unknown, { n }: { n: number }) => ['b1', 'b2', 'b3'].slice(0, n).map(book),
  },
  Mutation: { rename: (_: unknown, { id, title }: { id: string; title: string }) => ({ ...book(id), title }) },
  Item: { __resolveType: (i: { __typename: string }) => i.__typename },
  Book: { __resolveReference: (ref: { id: string }) => book(ref.id) },
};
const notesResolvers = {
  Book: {
    __resolveReference: (ref: { id: string }) => ref,
    rating: (b: { id: string }) => { if (b.id === 'b3') throw new GraphQLError('no rating yet', { extensions: { code: 'NOT_RATED' } }); return b.id.length; },
    flaky: (b: { id: string }) => { if (b.id === 'b1') throw new Error('flaky failed'); return `fine ${b.id}`; },
    notes: (b: { id: string }) => [{ text: `on ${b.id}`, by: b.id === 'b2' ? null : 'ada' }],
    strict: (b: { id: string }) => (b.id === 'b2' ? { text: null } : { text: 'ok' }),
  },
};

const servers: { stop(): Promise<void> }[] = [];
let ours: RunningGateway;
let apollos: RunningGateway;

async function subgraph(typeDefs: string, resolvers: any): Promise<string> {
  const apollo = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers }), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  await apollo.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await apollo.stop();
    },
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

beforeAll(async () => {
  const shelf = await subgraph(SHELF, shelfResolvers);
  const notes = await subgraph(NOTES, notesResolvers);
  const composed = composeServices([{ name: 'shelf', url: shelf, typeDefs: parse(SHELF) }, { name: 'notes', url: notes, typeDefs: parse(NOTES) }]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('; '));
  const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
  ours = await startGateway(mergeConfig(base, { gateway: { executor: 'gateway' } }), { port: 0, host: '127.0.0.1', supergraphSdl: composed.supergraphSdl });
  apollos = await startGateway(mergeConfig(base, { gateway: { executor: 'apollo' } }), { port: 0, host: '127.0.0.1', supergraphSdl: composed.supergraphSdl });
});
afterAll(async () => {
  await Promise.allSettled([ours?.stop(), apollos?.stop()]);
  await Promise.allSettled(servers.map((s) => s.stop()));
});

async function post(url: string, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: await res.json() as any };
}

const OPERATIONS: [string, string, Record<string, unknown>?][] = [
  ['aliases and __typename', '{ __typename all: books { kind: __typename id t: title __typename } one: book(id: "b2") { title } none: book(id: "zz") { title } }'],
  ['fields of another subgraph on repeated entities', '{ books { id title rating flaky notes { text by } } }'],
  ['a null in a non-null field', '{ books { id strict { text } } }'],
  ['interfaces and fragments', `query { shelf { __typename id ...B ... on Pen { color } } }
    fragment B on Book { title notes { text } }`],
  ['@skip and @include, by variables and defaults', `query Q($yes: Boolean!, $no: Boolean = false) {
    first { id title @include(if: $yes) rating @skip(if: $yes) flaky @include(if: $no) ... on Book @skip(if: $no) { notes { by } } } }`, { yes: true }],
  ['the same with the other value', `query Q($yes: Boolean!, $no: Boolean = false) {
    first(n: 3) { id title @include(if: $yes) rating @skip(if: $yes) flaky @include(if: $no) ... on Book @skip(if: $no) { notes { by } } } }`, { yes: false, no: true }],
  ['introspection next to data', '{ __schema { queryType { name } } __type(name: "Book") { fields { name } } books { id } }'],
  ['a variable of the wrong type', 'query($id: ID!) { book(id: $id) { title } }', { id: { not: 'an id' } }],
  ['a missing variable', 'query($id: ID!) { book(id: $id) { title } }'],
  ['a mutation', 'mutation { rename(id: "b1", title: "Dune Messiah") { id title rating } }'],
];

describe("the gateway's plan executor", () => {
  // Rest parameters: jest would take a third named parameter of a two-column row for a `done` callback.
  it.each(OPERATIONS)('answers %s as @apollo/gateway does', async (...[, query, variables]) => {
    const [mine, theirs] = await Promise.all([post(ours.url, query, variables), post(apollos.url, query, variables)]);
    expect(mine.status).toBe(theirs.status);
    expect(mine.body).toEqual(theirs.body);
  });

  it('sends an entity repeated in a list once, and reports its error at every place it sits', async () => {
    const { body } = await post(ours.url, '{ books { id flaky } }');
    expect(body.data.books.map((b: { flaky: string | null }) => b.flaky)).toEqual([null, 'fine b2', null, 'fine b3', 'fine b2']);
    expect(body.errors.map((e: { path: unknown }) => e.path)).toEqual([['books', 0, 'flaky'], ['books', 2, 'flaky']]);
  });
});
