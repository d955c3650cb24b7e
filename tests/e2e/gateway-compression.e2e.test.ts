import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { loadConfig } from '@shop/platform';
import { RunningGateway } from '@shop/gateway';
import { TinyGateway, startTinyGateway } from '../fixtures/tiny/tiny-gateway';

/**
 * Answers are compressed for clients that accept it, and the IDE page
 * (megabytes of inlined scripts) is sent compressed and revalidated by
 * ETag, so a repeated visit costs a 304 with no body.
 */
let tiny: TinyGateway;
let gateway: RunningGateway;

interface Raw { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

/** A request whose body arrives as sent (fetch would decompress it). */
function raw(path: string, headers: Record<string, string>, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: gateway.port, path, method: body ? 'POST' : 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const decode = { gzip: gunzipSync, br: brotliDecompressSync, identity: (b: Buffer) => b } as const;
const QUERY = JSON.stringify({ query: '{ greeting { text author } person }' });
const JSON_POST = { 'content-type': 'application/json' };
const HTML = { accept: 'text/html' };

beforeAll(async () => {
  tiny = await startTinyGateway();
  gateway = tiny.gateway;
});
afterAll(() => tiny?.stop());

describe('compressed responses', () => {
  it.each(['gzip', 'br'] as const)('answers %s to a client that accepts it, decoding to the same JSON', async (encoding) => {
    // Big enough to be worth compressing (the middleware leaves bodies under 1 kB as they are), within the alias limit.
    const big = JSON.stringify({ query: `{ ${Array.from({ length: 29 }, (_, i) => `g${i}: greeting { text author }`).join(' ')} }` });
    const plain = await raw('/graphql', JSON_POST, big);
    const packed = await raw('/graphql', { ...JSON_POST, 'accept-encoding': encoding }, big);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(packed.headers['content-encoding']).toBe(encoding);
    expect(packed.body.length).toBeLessThan(plain.body.length / 5);
    expect(JSON.parse(decode[encoding](packed.body).toString())).toEqual(JSON.parse(plain.body.toString()));
    expect(JSON.parse(plain.body.toString()).data.g28).toEqual({ text: 'hello', author: 'author of g1' });
  });

  it('leaves small answers as they are', async () => {
    const res = await raw('/graphql', { ...JSON_POST, 'accept-encoding': 'gzip' }, QUERY);
    expect(JSON.parse(res.body.toString()).data.person).toBe('ada');
  });
});

describe('the IDE page', () => {
  it('is sent compressed, far smaller than the page itself', async () => {
    const page = await raw('/graphql', HTML);
    const br = await raw('/graphql', { ...HTML, 'accept-encoding': 'gzip, deflate, br' });
    const gzip = await raw('/graphql', { ...HTML, 'accept-encoding': 'gzip' });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body.length).toBeGreaterThan(1_000_000);
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(br.body.length).toBeLessThan(page.body.length / 3);
    expect(gzip.body.length).toBeLessThan(page.body.length / 3);
    expect(brotliDecompressSync(br.body).equals(page.body)).toBe(true);
    expect(gunzipSync(gzip.body).equals(page.body)).toBe(true);
  });

  it('carries one ETag whatever the encoding, and answers 304 with no body to If-None-Match', async () => {
    const first = await raw('/graphql', { ...HTML, 'accept-encoding': 'br' });
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers.vary).toMatch(/Accept-Encoding/i);
    expect((await raw('/graphql', HTML)).headers.etag).toBe(etag);
    const again = await raw('/graphql', { ...HTML, 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const stale = await raw('/graphql', { ...HTML, 'if-none-match': '"something-else"' });
    expect(stale.status).toBe(200);
  });
});

describe('secrets the gateway does not hold', () => {
  it('loads its configuration in production with no signing key, only the shared secret it sends to subgraphs', () => {
    const config = loadConfig({ NODE_ENV: 'production', PAYMENT_PROVIDER: 'test', SUBGRAPH_SHARED_SECRET: 'x'.repeat(32) });
    expect(config.env).toBe('production');
    expect(config.jwt.privateKeys).toBeNull();
    expect(config.jwt.privateKeysFile).toBeNull();
  });
});
