import { readFileSync } from 'node:fs';
import { generateSigningJwk } from '../../subgraphs/accounts/src/keys/key-ring';

/**
 * Prints a private JWK set for JWT_PRIVATE_KEYS: a new ES256 key first (the
 * one accounts signs with), then the keys of the set named as argument, if
 * any, which accounts keeps publishing so their tokens verify until expiry.
 *   npm run keys:generate > jwks.json
 *   npm run keys:generate -- jwks.json > next.json    (rotation)
 */
async function main(): Promise<void> {
  const previous = process.argv[2] ? (JSON.parse(readFileSync(process.argv[2], 'utf8')) as { keys: unknown[] }).keys : [];
  process.stdout.write(`${JSON.stringify({ keys: [await generateSigningJwk(), ...previous] })}\n`);
}

void main();
