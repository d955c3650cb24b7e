import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { SubgraphUnreachable, subgraphPoster } from '../../gateway/src/subgraph-fetch';

/**
 * The gateway's transport to subgraphs, against a real HTTP server: pooled
 * keep-alive connections (at most `maxSockets` per origin), a time limit
 * that covers the whole answer, retries of queries only on connection
 * errors and 5xx, never of a timed-out attempt.
 */
type Behaviour = 'ok' | 'stall-body' | 'reset' | 'slow';
let behaviour: Behaviour = 'ok';
let resetsLeft = 0;
let hits = 0;
let connections = 0;
let server: http.Server;
let url: string;
const sockets = new Set<Socket>();
const ANSWER = JSON.stringify({ data: { text: 'é'.repeat(40_000) } });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => {
      if (behaviour === 'reset' && resetsLeft > 0) { resetsLeft--; req.socket.destroy(); return; }
      if (behaviour === 'stall-body') { res.writeHead(200, { 'content-type': 'application/json' }); res.write('{"data":'); return; }
      const answer = () => { res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] }); res.end(ANSWER); };
      if (behaviour === 'slow') setTimeout(answer, 100); else answer();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('connection', (socket) => {
    connections++; sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
beforeEach(() => { behaviour = 'ok'; resetsLeft = 0; hits = 0; });
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((r) => server.close(r));
});

const BODY = '{"query":"{ text }"}';
const headers = () => ({ 'content-type': 'application/json' });

describe('subgraph transport', () => {
  it('reads the whole answer as text over kept-alive connections', async () => {
    const post = subgraphPoster({ timeoutMs: 2000, retries: 2, maxSockets: 4 });
    const before = connections;
    for (let i = 0; i < 10; i++) {
      const answer = await post(url, headers(), BODY, false);
      expect(answer.status).toBe(200);
      expect(answer.body).toBe(ANSWER);
      expect(answer.headers['content-type']).toBe('application/json');
      expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    }
    // The pool may open a second connection while its first is released; no more for requests one after the other.
    expect(connections - before).toBeLessThanOrEqual(2);
  });

  it('opens at most maxSockets connections to one origin', async () => {
    behaviour = 'slow';
    const before = connections;
    const post = subgraphPoster({ timeoutMs: 5000, retries: 0, maxSockets: 2 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(url, headers(), BODY, false)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(connections - before).toBe(2);
    expect(hits).toBe(6);
  });

  it('cuts an answer whose body stops coming at the time limit, and does not retry it', async () => {
    behaviour = 'stall-body';
    const post = subgraphPoster({ timeoutMs: 300, retries: 2, maxSockets: 4 });
    const started = Date.now();
    await expect(post(url, headers(), BODY, false)).rejects.toBeInstanceOf(SubgraphUnreachable);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(hits).toBe(1);
  });

  it('retries a query whose connection was reset, never a mutation', async () => {
    behaviour = 'reset';
    resetsLeft = 2;
    const post = subgraphPoster({ timeoutMs: 2000, retries: 2, maxSockets: 4 });
    expect((await post(url, headers(), BODY, false)).body).toBe(ANSWER);
    expect(hits).toBe(3);
    hits = 0;
    resetsLeft = 1;
    await expect(post(url, headers(), BODY, true)).rejects.toBeInstanceOf(SubgraphUnreachable);
    expect(hits).toBe(1);
  });
});
