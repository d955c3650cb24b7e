import { readFileSync, writeFileSync } from 'node:fs';
import { subgraphNames } from '../subgraphs';
import { SUPERGRAPH_FILE, composeSupergraph } from '../schema/composition';

/** `npm run compose` writes schema/supergraph.graphql; with --check it only says whether it is current. */
const check = process.argv.includes('--check');
const outcome = composeSupergraph(subgraphNames);
for (const e of outcome.errors) console.error(`composition error: ${e}`);
for (const h of outcome.unacceptedHints) console.error(`composition hint not accepted: ${h}`);
if (!outcome.supergraphSdl || outcome.unacceptedHints.length) process.exit(1);
if (check) {
  const current = readFileSync(SUPERGRAPH_FILE, 'utf8');
  if (current !== outcome.supergraphSdl) {
    console.error('schema/supergraph.graphql is stale: run `npm run compose`');
    process.exit(1);
  }
  console.log('schema/supergraph.graphql is current');
} else {
  writeFileSync(SUPERGRAPH_FILE, outcome.supergraphSdl);
  console.log(`wrote ${SUPERGRAPH_FILE} (${subgraphNames.join(', ')})`);
}
