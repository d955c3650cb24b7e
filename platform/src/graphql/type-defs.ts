import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DocumentNode } from 'graphql';
import { gql } from 'graphql-tag';

/** Reads a subgraph's schema.graphql (path relative to the calling module's folder). */
export function loadTypeDefs(dir: string, relativePath: string): DocumentNode {
  return gql(readFileSync(resolve(dir, relativePath), 'utf8'));
}
