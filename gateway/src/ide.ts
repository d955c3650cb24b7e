import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

let page: string | null = null;

/**
 * GraphiQL, the admin's IDE, as one self-contained page: its scripts are
 * inlined from the package, so it works with no internet access.
 */
export function idePage(): string {
  page ??= renderGraphiQL({
    endpoint: '/graphql',
    subscriptionsProtocol: 'WS',
    title: 'Shop GraphQL',
    defaultQuery: '# Sign in with the login mutation, then add\n# { "Authorization": "Bearer <accessToken>" } in Headers below.\n\nquery Products {\n  products(first: 5) {\n    edges { node { name price { amount currency } stock { available } } }\n  }\n}\n',
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: 'headers',
    shouldPersistHeaders: true,
  });
  return page;
}
