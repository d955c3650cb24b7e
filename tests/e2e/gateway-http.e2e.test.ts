import http from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { RunningGateway } from '@shop/gateway';
import { TinyGateway, startTinyGateway } from '../fixtures/tiny/tiny-gateway';

/**
 * POST /graphql answers the same whichever way the request is read: the
 * common case (JSON of known length) straight by Apollo Server, the rest
 * (a chunked body, say) through Express. Same status, body, request id,
 * Vary header and compression; the same 400 for a body that is not a JSON
 * object.
 */
let tiny: TinyGateway;
let gateway: RunningGateway;

interface Raw { status: number; headers: http.IncomingHttpHeaders; body: string }

function post(headers: Record<string, string>, body: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: gateway.port, path: '/graphql', method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const decode = { gzip: gunzipSync, br: brotliDecompressSync, deflate: inflateSync }[String(res.headers['content-encoding'])];
        const text = (decode ? decode(raw) : raw).toString();
        resolve({ status: res.statusCode!, headers: res.headers, body: text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_POST = { 'content-type': 'application/json' };
/** Through Express: a body sent in chunks, of no declared length. */
const VIA_EXPRESS = { ...JSON_POST, 'transfer-encoding': 'chunked' };

beforeAll(async () => {
  tiny = await startTinyGateway();
  gateway = tiny.gateway;
});
afterAll(() => tiny?.stop());

describe('POST /graphql', () => {
  it('answers a query the same on both paths, with the caller\'s request id and Vary: Accept-Encoding', async () => {
    const body = JSON.stringify({ query: '{ greeting { text author } person }' });
    const direct = await post({ ...JSON_POST, 'x-request-id': 'direct-1' }, body);
    const express = await post({ ...VIA_EXPRESS, 'x-request-id': 'express-1' }, body);
    expect(direct.status).toBe(200);
    expect(JSON.parse(direct.body)).toEqual({ data: { greeting: { text: 'hello', author: 'author of g1' }, person: 'ada' } });
    expect(JSON.parse(direct.body)).toEqual(JSON.parse(express.body));
    expect(direct.headers['x-request-id']).toBe('direct-1');
    expect(express.headers['x-request-id']).toBe('express-1');
    expect(direct.headers.vary).toMatch(/Accept-Encoding/i);
    expect(direct.headers['content-type']).toBe(express.headers['content-type']);
    expect(Number(direct.headers['content-length'])).toBe(Buffer.byteLength(direct.body));
  });

  it.each(['gzip', 'br', 'gzip, deflate, br', 'deflate', 'gzip;q=0.5, br;q=1, deflate;q=0.8', 'identity', '*', 'compress'])(
    'compresses a large answer as Express does for Accept-Encoding: %s, and leaves a small one as it is',
    async (acceptEncoding) => {
      const large = JSON.stringify({ query: `{ ${Array.from({ length: 25 }, (_, i) => `g${i}: greeting { id text author }`).join(' ')} }` });
      const direct = await post({ ...JSON_POST, 'accept-encoding': acceptEncoding }, large);
      const express = await post({ ...VIA_EXPRESS, 'accept-encoding': acceptEncoding }, large);
      expect(Buffer.byteLength(direct.body)).toBeGreaterThan(1024);
      expect(direct.headers['content-encoding']).toBe(express.headers['content-encoding']);
      expect(JSON.parse(direct.body)).toEqual(JSON.parse(express.body));
      expect(direct.headers.vary).toMatch(/Accept-Encoding/i);

      const small = JSON.stringify({ query: '{ person }' });
      const directSmall = await post({ ...JSON_POST, 'accept-encoding': acceptEncoding }, small);
      const expressSmall = await post({ ...VIA_EXPRESS, 'accept-encoding': acceptEncoding }, small);
      expect(directSmall.headers['content-encoding']).toBeUndefined();
      expect(expressSmall.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(directSmall.body)).toEqual({ data: { person: 'ada' } });
    },
  );

  it.each([['not JSON', '{"query": '], ['JSON but not an object', '"{ person }"']])(
    'refuses a body that is %s with the same 400 on both paths',
    async (_what, body) => {
      const direct = await post(JSON_POST, body);
      const express = await post(VIA_EXPRESS, body);
      expect(direct.status).toBe(400);
      expect(express.status).toBe(400);
      expect(JSON.parse(direct.body)).toEqual({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      expect(JSON.parse(direct.body)).toEqual(JSON.parse(express.body));
    },
  );

  it('reports a GraphQL error in the document the same on both paths', async () => {
    const body = JSON.stringify({ query: '{ nosuchfield }' });
    const direct = await post(JSON_POST, body);
    const express = await post(VIA_EXPRESS, body);
    expect(direct.status).toBe(400);
    expect(direct.status).toBe(express.status);
    expect(JSON.parse(direct.body).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.parse(direct.body)).toEqual(JSON.parse(express.body));
  });
});
