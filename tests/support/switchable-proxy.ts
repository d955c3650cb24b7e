import http from 'node:http';
import { AddressInfo } from 'node:net';

/** What the proxy does with a request: pass it on, refuse the connection, or never answer. */
export type ProxyMode = 'forward' | 'refuse' | 'hang';

export interface SwitchableProxy {
  url: string;
  mode: ProxyMode;
  /** Requests that reached the proxy, whatever it did with them. */
  hits: number;
  stop(): Promise<void>;
}

/**
 * An HTTP endpoint in front of one subgraph that a test can turn off and
 * on at the same address (as a subgraph restarting would be), counting the
 * requests that reach it.
 */
export async function startSwitchableProxy(target: string): Promise<SwitchableProxy> {
  const held = new Set<http.ServerResponse>();
  const server = http.createServer(async (req, res) => {
    proxy.hits += 1;
    if (proxy.mode === 'refuse') { req.socket.destroy(); return; }
    if (proxy.mode === 'hang') { held.add(res); return; }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization']) if (req.headers[name]) headers[name] = String(req.headers[name]);
    const upstream = await fetch(target, { method: req.method, headers, body: req.method === 'GET' ? undefined : Buffer.concat(chunks) });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: SwitchableProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    mode: 'forward',
    hits: 0,
    async stop() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return proxy;
}
