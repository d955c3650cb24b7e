/**
 * The four subgraphs of the graphql-gateways-benchmark's federation scenario
 * (the Apollo federation demo schema), as @apollo/subgraph schemas over the
 * static data in data.ts, with the benchmark's resolvers' behaviour.
 */
import gql from 'graphql-tag';
import { GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { inStock, products, reviews, users } from './data';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@provides", "@shareable"])';

type Row = Record<string, any>;

export const SUBGRAPHS = {
  accounts: {
    typeDefs: gql`${LINK}
      type Query { me: User  user(id: ID!): User  users: [User] }
      type User @key(fields: "id") { id: ID!  name: String  username: String @shareable  birthday: Int }`,
    resolvers: {
      Query: {
        me: () => users[0],
        user: (_: unknown, { id }: { id: string }) => users.find((u) => u.id === id) ?? null,
        users: () => users,
      },
      User: { __resolveReference: (ref: Row) => users.find((u) => u.id === ref.id) ?? null },
    },
  },
  inventory: {
    typeDefs: gql`${LINK}
      type Product @key(fields: "upc") {
        upc: String!  weight: Int @external  price: Int @external  inStock: Boolean
        shippingEstimate: Int @requires(fields: "price weight")
      }`,
    resolvers: {
      Product: {
        // As the benchmark's inventory does: the entity is its own row (no price or weight), so the estimate is null.
        __resolveReference: (ref: Row) => (ref.upc in inStock ? { upc: ref.upc, inStock: inStock[ref.upc], price: null, weight: null } : null),
        shippingEstimate: (p: Row) => (p.price == null ? null : p.price > 1000 ? 0 : p.weight == null ? null : Math.trunc(p.weight / 2)),
      },
    },
  },
  products: {
    typeDefs: gql`${LINK}
      type Query { topProducts(first: Int = 5): [Product] }
      type Product @key(fields: "upc") { upc: String!  name: String  price: Int  weight: Int }`,
    resolvers: {
      Query: { topProducts: (_: unknown, { first }: { first?: number }) => products.slice(0, first ?? 5) },
      Product: { __resolveReference: (ref: Row) => products.find((p) => p.upc === ref.upc) ?? null },
    },
  },
  reviews: {
    typeDefs: gql`${LINK}
      type Review @key(fields: "id") { id: ID!  body: String  product: Product  author: User @provides(fields: "username") }
      type User @key(fields: "id") { id: ID!  username: String @external  reviews: [Review] }
      type Product @key(fields: "upc") { upc: String!  reviews: [Review] }`,
    resolvers: {
      Review: {
        __resolveReference: (ref: Row) => reviews.find((r) => r.id === ref.id) ?? null,
        // The benchmark's reviews subgraph answers the same author for every review.
        author: () => ({ id: '1', username: 'urigo' }),
      },
      User: {
        __resolveReference: (ref: Row) => ({ id: ref.id, username: 'user' }),
        reviews: () => reviews.slice(0, 2),
      },
      Product: {
        __resolveReference: (ref: Row) => ({ upc: ref.upc }),
        reviews: (p: Row) => reviews.filter((r) => r.product.upc === p.upc),
      },
    },
  },
} as const;

export type BenchSubgraph = keyof typeof SUBGRAPHS;

export function subgraphSchema(name: BenchSubgraph): GraphQLSchema {
  const { typeDefs, resolvers } = SUBGRAPHS[name];
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as any });
}
