import { readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_PORTS, SubgraphName } from '../../platform/src/config';

/** The repository root (k8s/generator/ is two levels down). */
export const ROOT = resolve(__dirname, '../..');

/** Port of the gateway's listener (GATEWAY_PORT's default). */
export const GATEWAY_PORT = 4000;

/** Database names follow DATABASE_PREFIX's default: the database of subgraph X is shop_X. */
export const DATABASE_PREFIX = 'shop_';

export interface ServiceSpec {
  name: string;
  kind: 'gateway' | 'subgraph';
  port: number;
}

/**
 * Every folder under subgraphs/ is a subgraph that gets deployed; its port
 * is the one platform/src/config.ts gives it. A folder without a port is
 * an error rather than a silently missing deployment.
 */
export function subgraphs(root = ROOT): ServiceSpec[] {
  const dir = join(root, 'subgraphs');
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'package.json')))
    .map((e) => e.name);
  return names
    .map((name) => {
      const port = DEFAULT_PORTS[name as SubgraphName];
      if (!port) throw new Error(`subgraphs/${name} has no port in platform/src/config.ts (DEFAULT_PORTS)`);
      return { name, kind: 'subgraph' as const, port };
    })
    .sort((a, b) => a.port - b.port);
}

/** The gateway first, then the subgraphs by port. */
export function services(root = ROOT): ServiceSpec[] {
  return [{ name: 'gateway', kind: 'gateway', port: GATEWAY_PORT }, ...subgraphs(root)];
}

export function databaseOf(subgraph: string): string {
  return `${DATABASE_PREFIX}${subgraph}`;
}

/** The in-cluster URL of a subgraph (its <NAME>_URL). */
export function clusterUrl(s: ServiceSpec): string {
  return `http://${s.name}:${s.port}/graphql`;
}
