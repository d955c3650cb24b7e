import http from 'node:http';
import https from 'node:https';

/**
 * What the gateway's data sources read of a subgraph's answer: the subset
 * of the Fetch API's Response that RemoteGraphQLDataSource and
 * AuthForwardingDataSource use, over a body already read in full.
 */
export class PooledResponse {
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };

  constructor(readonly status: number, statusText: string | undefined, private readonly raw: http.IncomingHttpHeaders,
    private readonly body: string, readonly url: string) {
    this.ok = status >= 200 && status < 300;
    this.statusText = statusText ?? '';
    this.headers = {
      get: (name) => {
        const value = this.raw[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  async text(): Promise<string> { return this.body; }
  async json(): Promise<unknown> { return JSON.parse(this.body); }
  clone(): PooledResponse { return new PooledResponse(this.status, this.statusText, this.raw, this.body, this.url); }
}

interface FetchInit { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal | null }

/** Keep-alive sockets per subgraph origin, kept for the life of the process. */
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });

/**
 * A fetch for subgraph requests over node:http with pooled keep-alive
 * sockets. Node's global fetch (undici) builds a Request, Headers, an
 * AbortSignal and web streams for every call, which the profile of the
 * benchmark scenario showed as the largest share of the gateway's CPU; a
 * subgraph answer is one small JSON body, read whole.
 */
export function pooledFetch(url: string, init: FetchInit = {}): Promise<PooledResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const headers: Record<string, string | number> = { ...init.headers };
    if (body) headers['content-length'] = body.length;
    const req = (secure ? https : http).request({
      protocol: target.protocol, hostname: target.hostname, port: target.port, path: `${target.pathname}${target.search}`,
      method: init.method ?? 'GET', headers, agent: secure ? httpsAgent : httpAgent, signal: init.signal ?? undefined,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () => {
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
        resolve(new PooledResponse(res.statusCode ?? 0, res.statusMessage, res.headers, text, url));
      });
    });
    req.once('error', reject);
    req.end(body);
  });
}
