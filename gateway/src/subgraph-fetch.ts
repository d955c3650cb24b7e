import http from 'node:http';
import https from 'node:https';
import { PlatformConfig } from '@shop/platform';

/** How the gateway's fetches to subgraphs behave (platform config `gateway.subgraph*`). */
export interface SubgraphFetchSettings { timeoutMs: number; retries: number; maxSockets: number }

/** The configuration's defaults (SUBGRAPH_TIMEOUT_MS, SUBGRAPH_RETRIES, SUBGRAPH_MAX_SOCKETS). */
export const DEFAULT_FETCH_SETTINGS: SubgraphFetchSettings = { timeoutMs: 10_000, retries: 2, maxSockets: 256 };

export function subgraphFetchSettings(config: PlatformConfig): SubgraphFetchSettings {
  const { subgraphTimeoutMs, subgraphRetries, subgraphMaxSockets } = config.gateway;
  return { timeoutMs: subgraphTimeoutMs, retries: subgraphRetries, maxSockets: subgraphMaxSockets };
}

/** A fetch that did not get an answer from the subgraph (refused, reset, timed out, or a 5xx after the retries). */
export class SubgraphUnreachable extends Error {}

/** The first backoff; each retry waits twice the previous, with jitter. */
const BACKOFF_MS = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a subgraph answered: the whole body, read as text. */
export interface SubgraphAnswer { status: number; statusText: string; headers: http.IncomingHttpHeaders; body: string }

/** Posts one body to a subgraph and reads its whole answer. `once`: never retried (mutations). `headers` gets the body's length. */
export type SubgraphPoster = (url: string, headers: Record<string, string>, body: string, once: boolean) => Promise<SubgraphAnswer>;

/** An attempt that failed before a whole answer came: refused, reset, or cut short by the time limit. */
class AttemptFailed extends Error {
  constructor(message: string, readonly timedOut: boolean) { super(message); }
}

/**
 * The transport of the gateway's subgraph data sources, node:http over
 * keep-alive pools (one per subgraph origin, `maxSockets` each) shared by
 * all requests: a time limit per attempt, covering the whole answer, and
 * for queries only a few retries with exponential backoff on connection
 * errors and 5xx answers. A timed-out attempt is not retried: the caller's
 * wait stays bounded by one timeout.
 */
export function subgraphPoster(settings: SubgraphFetchSettings): SubgraphPoster {
  // Sockets idle longer than the subgraph's keep-alive (65 s) would be closed under a request.
  const options = { keepAlive: true, maxSockets: settings.maxSockets, maxFreeSockets: settings.maxSockets, timeout: 60_000 };
  const agents = { http: new http.Agent(options), https: new https.Agent(options) };
  const targets = new Map<string, URL>();
  const attempt = (url: string, headers: Record<string, string>, body: string) => new Promise<SubgraphAnswer>((resolve, reject) => {
    let target = targets.get(url);
    if (!target) { target = new URL(url); targets.set(url, target); }
    const secure = target.protocol === 'https:';
    const request = (secure ? https : http).request({
      protocol: target.protocol, hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: 'POST',
      headers, agent: secure ? agents.https : agents.http,
    });
    const timer = setTimeout(() => request.destroy(new AttemptFailed(`no answer within ${settings.timeoutMs} ms`, true)), settings.timeoutMs);
    const fail = (e: Error) => { clearTimeout(timer); reject(e instanceof AttemptFailed ? e : new AttemptFailed(e.message, false)); };
    request.once('error', fail);
    request.once('response', (response) => {
      response.setEncoding('utf8');
      let text = '';
      response.on('data', (chunk: string) => { text += chunk; });
      response.once('error', fail);
      response.once('aborted', () => fail(new Error('answer cut short')));
      response.once('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers, body: text });
      });
    });
    request.end(body);
  });
  return async (url, headers, body, once) => {
    headers['content-length'] = String(Buffer.byteLength(body));
    const attempts = once ? 1 : 1 + settings.retries;
    for (let n = 1; ; n++) {
      let answer: SubgraphAnswer | null = null;
      let failure: AttemptFailed | null = null;
      try {
        answer = await attempt(url, headers, body);
      } catch (e) {
        failure = e as AttemptFailed;
        if (failure.timedOut) throw new SubgraphUnreachable(failure.message);
      }
      if (answer && answer.status < 500) return answer;
      if (n >= attempts) {
        if (answer) return answer;
        throw new SubgraphUnreachable(failure!.message);
      }
      await sleep(BACKOFF_MS * 2 ** (n - 1) * (0.5 + Math.random()));
    }
  };
}
