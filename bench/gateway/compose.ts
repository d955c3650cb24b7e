import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { SUBGRAPHS } from './subgraphs';

/** Where the scenario's supergraph is written (and checked in, for starting a gateway on it by hand). */
export const BENCH_SUPERGRAPH_PATH = path.join(__dirname, 'supergraph.graphql');

/** Composes the four subgraphs, each at `<base>/<name>/graphql`, and writes the supergraph file. */
export function composeBenchSupergraph(base: string, file = BENCH_SUPERGRAPH_PATH): string {
  const result = composeServices(Object.entries(SUBGRAPHS).map(([name, { typeDefs }]) => ({
    name, typeDefs, url: `${base}/${name}/graphql`,
  })));
  if (result.errors) throw new Error(`composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  writeFileSync(file, result.supergraphSdl);
  return result.supergraphSdl;
}

if (require.main === module) {
  composeBenchSupergraph(process.argv[2] ?? 'http://127.0.0.1:4200');
  console.log(`wrote ${BENCH_SUPERGRAPH_PATH}`);
}
