import { Dispatcher } from 'undici';
import { PlatformConfig, keepAlivePools } from '@shop/platform';

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

/** A subgraph's answer headers, names in lower case; a repeated header as an array. */
export type SubgraphHeaders = Record<string, string | string[] | undefined>;

/** What a subgraph answered: the whole body, read as text. */
export interface SubgraphAnswer { status: number; statusText: string; headers: SubgraphHeaders; body: string }

/** Posts one body to a subgraph and reads its whole answer. `once`: never retried (mutations). `headers` gets the body's length. */
export type SubgraphPoster = (url: string, headers: Record<string, string>, body: string, once: boolean) => Promise<SubgraphAnswer>;

/** An attempt that failed before a whole answer came: refused, reset, or cut short by the time limit. */
class AttemptFailed extends Error {
  constructor(message: string, readonly timedOut: boolean) { super(message); }
}

/**
 * The transport of the gateway's subgraph data sources, undici over
 * keep-alive pools (one per subgraph origin, `maxSockets` connections each)
 * shared by all requests, each answer read by a dispatch handler of its own
 * (no response stream or abort signal per attempt): a time limit per
 * attempt, covering the whole answer, and for queries only a few retries
 * with exponential backoff on connection errors and 5xx answers. A
 * timed-out attempt is not retried: the caller's wait stays bounded by one
 * timeout.
 */
export function subgraphPoster(settings: SubgraphFetchSettings): SubgraphPoster {
  // The attempt's own time limit covers headers and body together.
  const targetOf = keepAlivePools({ connections: settings.maxSockets, headersTimeout: 0, bodyTimeout: 0 });
  const attempt = (url: string, headers: Record<string, string>, body: string) => new Promise<SubgraphAnswer>((resolve, reject) => {
    const { pool, path } = targetOf(url);
    pool.dispatch({ path, method: 'POST', headers, body }, new AnswerReader(settings.timeoutMs, resolve, reject));
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

/**
 * Reads one answer off undici's dispatch (no response stream): status,
 * headers, the body as text, all under the attempt's time limit.
 */
class AnswerReader implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private readonly timer: NodeJS.Timeout;
  private status = 0;
  private statusText = '';
  private headers: SubgraphHeaders = {};
  private readonly chunks: Buffer[] = [];
  /** Why the attempt ended early (the time limit), or null while it runs. */
  private cut: AttemptFailed | null = null;
  private done = false;

  constructor(timeoutMs: number, private readonly resolve: (a: SubgraphAnswer) => void, private readonly reject: (e: AttemptFailed) => void) {
    this.timer = setTimeout(() => {
      this.cut = new AttemptFailed(`no answer within ${timeoutMs} ms`, true);
      // Still queued for a connection: undici aborts it when it starts.
      if (this.controller) this.controller.abort(this.cut); else this.onResponseError(null, this.cut);
    }, timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.cut) controller.abort(this.cut);
    else this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: SubgraphHeaders, statusText?: string): void {
    if (status < 200) return; // an interim answer: the final one follows
    this.status = status;
    this.statusText = statusText ?? '';
    this.headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void { this.chunks.push(chunk); }

  onResponseEnd(): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    const body = this.chunks.length === 1 ? this.chunks[0].toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
    this.resolve({ status: this.status, statusText: this.statusText, headers: this.headers, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, e: Error): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.reject(e instanceof AttemptFailed ? e : new AttemptFailed(e.message, false));
  }
}
