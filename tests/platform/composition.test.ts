import { readFileSync } from 'node:fs';
import { subgraphNames } from '../../subgraphs';
import { SUPERGRAPH_FILE, composeSupergraph } from '../../schema/composition';

describe('supergraph composition', () => {
  const outcome = composeSupergraph(subgraphNames);

  it('composes every subgraph without errors or unaccepted hints', () => {
    expect(outcome.errors).toEqual([]);
    expect(outcome.unacceptedHints).toEqual([]);
  });

  it('matches the checked-in schema/supergraph.graphql (run `npm run compose` after a schema change)', () => {
    expect(outcome.supergraphSdl).toBe(readFileSync(SUPERGRAPH_FILE, 'utf8'));
  });
});
