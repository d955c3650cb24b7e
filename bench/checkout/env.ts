import net from 'node:net';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { SubgraphName } from '@shop/platform';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A private JWK set of one fresh ES256 key, as JWT_PRIVATE_KEYS takes it. */
function signingKeys(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return JSON.stringify({ keys: [{ ...privateKey.export({ format: 'jwk' }), alg: 'ES256', kid: `bench-${randomBytes(4).toString('hex')}` }] });
}

/** A block of `count` consecutive free ports from `from` (4100: clear of `npm start`'s 4000-4011) up. */
export async function freePortBlock(count: number, from = 4100): Promise<number> {
  const last = Math.max(6000, from + 1900);
  for (let base = from; base < last; base += 50) {
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no block of free ports between ${from} and ${last}`);
}

/** The environment every process of one benchmark run shares: its own databases, stream and ports. */
export function shopEnv(names: SubgraphName[], base: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const id = `bench_${randomBytes(3).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Production mode, as deployed: each run gets its own subgraph secret and accounts' signing key
    // (in the shared environment for simplicity; the other processes never read it).
    NODE_ENV: 'production',
    SUBGRAPH_SHARED_SECRET: randomBytes(32).toString('hex'),
    JWT_PRIVATE_KEYS: signingKeys(),
    PAYMENT_PROVIDER: 'test',
    // Every simulated customer signs up and in from this one machine's address: the per-address limits would refuse them.
    RATE_LIMIT_REGISTER_PER_IP: '100000',
    RATE_LIMIT_LOGIN_PER_IP: '100000',
    REDIS_KEY_PREFIX: id,
    DATABASE_PREFIX: `${id}_`,
    EVENT_PREFIX: id,
    LOG_LEVEL: 'warn',
    SUBGRAPH_HOST: '127.0.0.1',
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(base),
    ...extra,
  };
  names.forEach((name, i) => {
    const key = name.toUpperCase();
    env[`${key}_PORT`] = String(base + 1 + i);
    env[`${key}_URL`] = `http://127.0.0.1:${base + 1 + i}/graphql`;
  });
  return env;
}
