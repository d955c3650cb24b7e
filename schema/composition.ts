import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { DEFAULT_PORTS, SubgraphName } from '@shop/platform';

export const SUPERGRAPH_FILE = resolve(__dirname, 'supergraph.graphql');
export const ACCEPTED_HINTS_FILE = resolve(__dirname, 'accepted-hints.json');

export interface CompositionOutcome {
  supergraphSdl: string | null;
  errors: string[];
  /** Hints composition gave that schema/accepted-hints.json does not list. */
  unacceptedHints: string[];
}

/** Composes the subgraphs' schema.graphql files into the supergraph, as the gateway will serve it. */
export function composeSupergraph(names: SubgraphName[]): CompositionOutcome {
  const services = names.map((name) => ({
    name,
    url: `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`,
    typeDefs: parse(readFileSync(resolve(__dirname, `../subgraphs/${name}/schema.graphql`), 'utf8')),
  }));
  const result = composeServices(services);
  const accepted: string[] = JSON.parse(readFileSync(ACCEPTED_HINTS_FILE, 'utf8')).accepted;
  const hints = (result.hints ?? []).map((h) => `${h.definition.code}: ${h.message}`);
  if (result.errors) {
    return { supergraphSdl: null, errors: result.errors.map((e) => e.message), unacceptedHints: hints.filter((h) => !accepted.includes(h)) };
  }
  return { supergraphSdl: result.supergraphSdl, errors: [], unacceptedHints: hints.filter((h) => !accepted.includes(h)) };
}
