import express from 'express';
import { JWKS_PATH, PlatformConfig, SubgraphResources } from '@shop/platform';
import { keyRingFor } from './key-ring';

/**
 * Loads the signing keys as accounts starts (production refuses to start
 * without configured ones) and serves their public halves at
 * /.well-known/jwks.json, open to anyone like /health.
 */
export async function openKeyRing({ config }: { config: PlatformConfig }): Promise<SubgraphResources> {
  const ring = await keyRingFor(config);
  const router = express.Router();
  router.get(JWKS_PATH, (_req, res) => {
    // Short, so a rotation reaches caches soon; verifiers refetch on an unknown kid anyway.
    res.set('cache-control', 'public, max-age=300').json(ring.jwks);
  });
  return { router, close: async () => undefined };
}
