import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PlatformConfig, SubgraphName, subgraphUrl } from '@shop/platform';

/** The checked-in supergraph the gateway serves (`npm run compose` writes it). */
export const SUPERGRAPH_PATH = resolve(__dirname, '../../schema/supergraph.graphql');

export function readSupergraph(path = SUPERGRAPH_PATH): string {
  return readFileSync(path, 'utf8');
}

/** Where to reach a subgraph: the configured URL wins over the one written in the supergraph. */
export function routeFor(config: PlatformConfig, name: string, composedUrl: string | undefined): string {
  if (name in config.ports) return subgraphUrl(config, name as SubgraphName);
  return composedUrl ?? '';
}
