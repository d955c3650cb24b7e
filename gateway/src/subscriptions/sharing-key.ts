import { DocumentNode, print } from 'graphql';
import { PlatformConfig, identityFromAuthorization } from '@shop/platform';
import { Dependence } from './sharing-policy';

/**
 * The callers alike for a selection of the given dependence. The token is
 * verified here as the subgraphs do (same secret): a role or a user id read
 * from an unverified token could join someone else's stream. A bad or expired
 * token gets a stream of its own, where the subgraph says what is wrong with it.
 */
export async function callerPart(dependsOn: Dependence, authorization: string | undefined, config: PlatformConfig): Promise<string> {
  if (dependsOn === 'public') return 'public';
  const identity = await identityFromAuthorization(authorization, config);
  if (identity.tokenError) return `token:${authorization}`;
  const { viewer } = identity;
  if (!viewer) return 'anonymous';
  return dependsOn === 'role' ? `role:${viewer.role}` : `user:${viewer.userId}:${viewer.role}`;
}

/** Subscribers of one key get the same answers: same document (printed, so layout does not matter), operation, variables and caller part. */
export function sharingKey(caller: string, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>): string {
  return `${caller}\n${operationName ?? ''}\n${JSON.stringify(variables)}\n${print(document)}`;
}
