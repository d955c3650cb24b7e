import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { resolve } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { SupergraphSdlHook } from '@apollo/gateway';
import { Logger, PlatformConfig, SubgraphName } from '@shop/platform';

/** The checked-in supergraph the gateway serves (`npm run compose` writes it). */
export const SUPERGRAPH_PATH = resolve(__dirname, '../../schema/supergraph.graphql');

export function readSupergraph(path = SUPERGRAPH_PATH): string {
  return readFileSync(path, 'utf8');
}

/**
 * Where to reach a subgraph: `<NAME>_URL` wins, else the URL composed into
 * the supergraph, so one file serves every deployment that sets its URLs.
 */
export function routeFor(config: PlatformConfig, name: string, composedUrl: string | undefined): string {
  const configured = config.subgraphUrls[name as SubgraphName];
  if (configured) return configured;
  if (composedUrl) return composedUrl;
  return name in config.ports ? `http://127.0.0.1:${config.ports[name as SubgraphName]}/graphql` : '';
}

/** The subgraphs a supergraph names, with the URL composed for each. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  return Supergraph.build(supergraphSdl).subgraphsMetadata().map(({ name, url }) => ({ name, url }));
}

/** Throws, saying why, unless the SDL is a supergraph the gateway can serve (parses, validates, yields an API schema). */
function checkSupergraph(supergraphSdl: string): void {
  const supergraph = Supergraph.build(supergraphSdl, { validateSupergraph: true });
  supergraph.apiSchema().toGraphQLJSSchema();
}

/**
 * The supergraph of a file, watched: a changed file that is a valid
 * supergraph replaces the schema without a restart (requests already
 * executing finish on the plan they started with); one that is not is
 * logged and refused, and the previous schema keeps serving. Polling
 * rather than fs.watch: it also sees a Kubernetes ConfigMap's symlink swap.
 */
export function watchedSupergraph(path: string, pollMs: number, log: Logger): SupergraphSdlHook {
  return async ({ update }) => {
    let current = readSupergraph(path);
    checkSupergraph(current);
    const onChange = () => {
      let next: string;
      try {
        next = readSupergraph(path);
      } catch (e) {
        log.error({ err: e, path }, 'supergraph file unreadable; keeping the current schema');
        return;
      }
      if (next === current) return;
      try {
        checkSupergraph(next);
        update(next);
        current = next;
        log.info({ path }, 'supergraph reloaded');
      } catch (e) {
        log.error({ err: e, path }, 'supergraph file refused; keeping the current schema');
      }
    };
    watchFile(path, { interval: pollMs, persistent: false }, onChange);
    return { supergraphSdl: current, cleanup: async () => unwatchFile(path, onChange) };
  };
}
