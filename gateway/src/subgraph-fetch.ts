import http from 'node:http';
import https from 'node:https';
import nodeFetch, { RequestInit, Response } from 'node-fetch';
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

/** Whether a subgraph operation changes something: those are sent once, whatever happens. */
function isMutation(body: unknown): boolean {
  if (typeof body !== 'string') return true;
  const query = (JSON.parse(body) as { query?: string }).query ?? '';
  return /^\s*mutation\b/.test(query);
}

/**
 * The fetcher of the gateway's subgraph data sources: keep-alive pools
 * (one per subgraph origin, `maxSockets` each) shared by all requests, a
 * time limit per attempt, and for queries only a few retries with
 * exponential backoff on connection errors and 5xx answers. A timed-out
 * attempt is not retried: the caller's wait stays bounded by one timeout.
 */
export function subgraphFetcher(settings: SubgraphFetchSettings): (url: string, init: RequestInit) => Promise<Response> {
  // Sockets idle longer than the subgraph's keep-alive (65 s) would be closed under a request.
  const options = { keepAlive: true, maxSockets: settings.maxSockets, maxFreeSockets: settings.maxSockets, timeout: 60_000 };
  const agents = { http: new http.Agent(options), https: new https.Agent(options) };
  return async (url, init) => {
    const attempts = isMutation(init.body) ? 1 : 1 + settings.retries;
    for (let attempt = 1; ; attempt++) {
      let response: Response | null = null;
      let failure: Error | null = null;
      // A timer cleared once the body is read, not AbortSignal.timeout, whose timer would hold memory for the full period.
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), settings.timeoutMs);
      try {
        response = await nodeFetch(url, {
          ...init,
          agent: (parsed) => (parsed.protocol === 'https:' ? agents.https : agents.http),
          signal: timeout.signal as any,
        });
        const done = () => clearTimeout(timer);
        response.body.once('end', done).once('close', done).once('error', done);
      } catch (e) {
        clearTimeout(timer);
        failure = e as Error;
        if (failure.name === 'AbortError') throw new SubgraphUnreachable(`no answer within ${settings.timeoutMs} ms`);
      }
      if (response && response.status < 500) return response;
      if (attempt >= attempts) {
        if (response) return response;
        throw new SubgraphUnreachable(failure!.message);
      }
      await sleep(BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random()));
    }
  };
}
