import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import {
  VERIFIED_TOKENS_MAX, VERIFIED_TOKEN_REUSE_MS, identityFromAuthorization, mergeConfig, rememberViewer, rememberedViewer, verifyAccessToken,
} from '@shop/platform';
import { testConfig } from '../support/stack';
import { mintAccessToken, mintWithTimes, trustStackKey } from '../support/tokens';

const config = testConfig();
const userId = 'b0c9e1a2-3d4f-4a5b-8c6d-7e8f9a0b1c2d';

beforeAll(() => trustStackKey(config));

describe('verified access tokens', () => {
  it('are remembered until they expire, a minute at most, and the same viewer is served from memory', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await mintWithTimes(config, { userId, role: 'CUSTOMER' }, { issuedAt: now, expiresAt: now + 30 });
    expect(rememberedViewer(token, config)).toBeNull();
    expect(await verifyAccessToken(token, config)).toEqual({ viewer: { userId, role: 'CUSTOMER' } });
    expect(rememberedViewer(token, config)).toEqual({ userId, role: 'CUSTOMER' });
    expect(await identityFromAuthorization(`Bearer ${token}`, config)).toEqual({ viewer: { userId, role: 'CUSTOMER' }, tokenError: null });
    // Not past its expiry, to the millisecond.
    expect(rememberedViewer(token, config, (now + 30) * 1000 - 1)).toEqual({ userId, role: 'CUSTOMER' });
    expect(rememberedViewer(token, config, (now + 30) * 1000)).toBeNull();

    const long = await mintAccessToken(config, { userId, role: 'ADMIN' });
    const verifiedAt = Date.now();
    await verifyAccessToken(long, config);
    expect(rememberedViewer(long, config, verifiedAt - 1)).toEqual({ userId, role: 'ADMIN' });
    expect(rememberedViewer(long, config, Date.now() + VERIFIED_TOKEN_REUSE_MS)).toBeNull();
  });

  it('never remembers a token that did not verify: expired, forged, or naming no known role', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await mintWithTimes(config, { userId, role: 'CUSTOMER' }, { issuedAt: now - 120, expiresAt: now - 60 });
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg: 'ES256', kid: (await exportJWK(publicKey)).kid ?? 'other' })
      .setSubject(userId).setIssuer(config.jwt.issuer).setAudience(config.jwt.audience).setExpirationTime('10m').sign(privateKey);
    const noRole = await mintAccessToken(config, { userId, role: 'SUPERUSER' as never });
    for (const [token, error] of [[expired, 'expired'], [forged, 'invalid'], [noRole, 'invalid']] as const) {
      expect(await verifyAccessToken(token, config)).toEqual({ error });
      expect(await verifyAccessToken(token, config)).toEqual({ error });
      expect(rememberedViewer(token, config)).toBeNull();
    }
  });

  it('are remembered under the settings they verified with only', async () => {
    const token = await mintAccessToken(config, { userId, role: 'CUSTOMER' });
    await verifyAccessToken(token, config);
    const otherAudience = mergeConfig(config, { jwt: { ...config.jwt, audience: 'someone-else' } });
    expect(rememberedViewer(token, otherAudience)).toBeNull();
    expect(await verifyAccessToken(token, otherAudience)).toEqual({ error: 'invalid' });
    const otherKeys = mergeConfig(config, { jwt: { ...config.jwt, publicKeys: JSON.stringify({ keys: [] }) } });
    expect(await verifyAccessToken(token, otherKeys)).toEqual({ error: 'invalid' });
  });

  it('forget the oldest first beyond their bound', () => {
    const bounded = mergeConfig(config, { jwt: { ...config.jwt } });
    const viewer = { userId, role: 'CUSTOMER' as const };
    const now = Date.now();
    for (let i = 0; i <= VERIFIED_TOKENS_MAX; i++) rememberViewer(`token-${i}`, viewer, undefined, bounded, now);
    expect(rememberedViewer('token-0', bounded, now)).toBeNull();
    expect(rememberedViewer('token-1', bounded, now)).toEqual(viewer);
    expect(rememberedViewer(`token-${VERIFIED_TOKENS_MAX}`, bounded, now)).toEqual(viewer);
  });
});
