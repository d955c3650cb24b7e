import WebSocket from 'ws';
import { Client, createClient, FormattedExecutionResult, SubscribePayload } from 'graphql-ws';

/** One result of an upstream operation, as it came over the wire. */
export type UpstreamResult = FormattedExecutionResult<Record<string, unknown>, unknown>;
import { Logger, pushable } from '@shop/platform';

/** Where a subgraph's HTTP endpoint serves graphql-ws: the same URL, ws(s) scheme. */
export function wsUrlOf(httpUrl: string): string {
  return httpUrl.replace(/^http(s?):\/\//i, 'ws$1://');
}

/** How long an idle upstream connection stays open, so bursts of subscribe/unsubscribe reuse it. */
const IDLE_CLOSE_MS = 10_000;
const MAX_RETRY_WAIT_MS = 30_000;
/** How long closing waits for a connection still being (re)established before dropping it. */
const DISPOSE_WAIT_MS = 1_000;

/** Backs off exponentially with jitter, capped: a restarting subgraph is retried until it is back. */
function retryWait(retries: number): Promise<void> {
  const ms = Math.min(MAX_RETRY_WAIT_MS, 250 * 2 ** retries) * (0.5 + Math.random() / 2);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A WebSocket class that sends `headers` with its upgrade request (graphql-ws only passes the URL and protocol). */
function withHeaders(headers: Record<string, string>): typeof WebSocket {
  if (Object.keys(headers).length === 0) return WebSocket;
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  } as typeof WebSocket;
}

interface Upstream { client: Client; operations: number; idle: NodeJS.Timeout | null }

/**
 * One multiplexed graphql-ws connection per subgraph, shared by every
 * client subscription routed there. Connections open on first use, close
 * when idle, and reconnect (re-subscribing their operations) when a
 * subgraph restarts; events published while it was away are not replayed.
 * The idle close is timed here rather than by graphql-ws's lazy mode,
 * whose close timer outlives `dispose()` and holds a stopping process.
 */
export class UpstreamPool {
  private readonly upstreams = new Map<string, Upstream>();
  private activeOperations = 0;

  /** `trustHeaders` ride on every connection's upgrade request (the shared secret subgraphs ask of the gateway). */
  constructor(private readonly log: Logger, private readonly trustHeaders: Record<string, string> = {}) {}

  /** Operations open on subgraphs right now (leak checks read it). */
  get active(): number {
    return this.activeOperations;
  }

  /**
   * Runs one operation on the subgraph at `httpUrl`. The caller's identity
   * rides in `payload.extensions`, since the connection is shared. The
   * stream ends with the operation; `return()` unsubscribes upstream.
   */
  subscribe(httpUrl: string, payload: SubscribePayload): AsyncIterableIterator<UpstreamResult> {
    const url = wsUrlOf(httpUrl);
    const upstream = this.upstreamFor(url);
    this.activeOperations += 1;
    upstream.operations += 1;
    if (upstream.idle) { clearTimeout(upstream.idle); upstream.idle = null; }
    let unsubscribe: (() => void) | null = null;
    const stream = pushable<UpstreamResult>(() => {
      this.activeOperations -= 1;
      upstream.operations -= 1;
      unsubscribe?.();
      if (upstream.operations === 0) {
        upstream.idle = setTimeout(() => { void this.close(url, upstream).catch(() => undefined); }, IDLE_CLOSE_MS).unref();
      }
    });
    unsubscribe = upstream.client.subscribe(payload, {
      next: (result) => stream.push(result),
      complete: () => stream.end(),
      error: (error) => {
        // GraphQL errors (the subgraph refused the operation) are a result for the client; anything else ends the stream.
        if (Array.isArray(error)) { stream.push({ errors: error }); stream.end(); return; }
        stream.end(error instanceof Error ? error : new Error(`Subgraph connection closed (${(error as { code?: number })?.code ?? 'unknown'})`));
      },
    });
    if (stream.ended) unsubscribe();
    return stream;
  }

  /** Closes every upstream connection (their operations end). */
  async dispose(): Promise<void> {
    const upstreams = [...this.upstreams.entries()];
    await Promise.all(upstreams.map(([url, upstream]) => this.close(url, upstream)));
  }

  private async close(url: string, upstream: Upstream): Promise<void> {
    if (upstream.idle) clearTimeout(upstream.idle);
    if (this.upstreams.get(url) === upstream) this.upstreams.delete(url);
    // graphql-ws's dispose() awaits the connection attempt in progress: while a subgraph is stopping too, it waits out
    // the retry back-off and then rejects with that attempt's failure. Neither may hold or fail the gateway's stop.
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      Promise.resolve().then(() => upstream.client.dispose()).then(() => true, () => true),
      new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), DISPOSE_WAIT_MS); }),
    ]);
    clearTimeout(timer);
    if (!closed) upstream.client.terminate();
  }

  private upstreamFor(url: string): Upstream {
    let upstream = this.upstreams.get(url);
    if (!upstream) {
      const client = createClient({
        url,
        webSocketImpl: withHeaders(this.trustHeaders),
        lazy: false,
        // Only fatal errors land here (retries never run out): drop the client so the next subscription opens a new one.
        onNonLazyError: (error) => {
          this.log.error({ url, err: error }, 'upstream subscription connection failed for good');
          if (this.upstreams.get(url) === upstream) this.upstreams.delete(url);
        },
        keepAlive: 12_000,
        retryAttempts: Infinity,
        shouldRetry: () => true,
        retryWait,
        on: {
          closed: (event) => this.log.debug({ url, code: (event as { code?: number })?.code }, 'upstream subscription connection closed'),
          error: (error) => this.log.warn({ url, err: error }, 'upstream subscription connection failed'),
        },
      });
      upstream = { client, operations: 0, idle: null };
      this.upstreams.set(url, upstream);
    }
    return upstream;
  }
}
