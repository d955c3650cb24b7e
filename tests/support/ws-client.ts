import WebSocket from 'ws';
import { Client, FormattedExecutionResult, createClient } from 'graphql-ws';
import { eventually as sharedEventually } from './eventually';

/** A graphql-ws client of an endpoint, signed in when given a token (`connectionParams.authorization`, as the contract says). */
export function wsClient(httpUrl: string, token?: string | null): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
}

/** A subscription whose results a test reads one at a time. */
export interface TestSubscription {
  /** The next result; rejects if none arrives within `ms` (a hung test fails instead of waiting for jest). */
  next(ms?: number): Promise<FormattedExecutionResult>;
  /** Whether the server completed the subscription. */
  completed(ms?: number): Promise<boolean>;
  /** Unsubscribes (sends `complete`). */
  stop(): Promise<void>;
}

export function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}): TestSubscription {
  const iterator = client.iterate({ query, variables });
  const within = <T>(p: Promise<T>, ms: number, what: string) => Promise.race([
    p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms).unref()),
  ]);
  return {
    async next(ms = 10_000) {
      const step = await within(iterator.next(), ms, 'result');
      if (step.done) throw new Error('subscription completed before the expected result');
      return step.value as FormattedExecutionResult;
    },
    async completed(ms = 10_000) {
      return (await within(iterator.next(), ms, 'completion')).done === true;
    },
    async stop() { await iterator.return?.(); },
  };
}

/**
 * Polls a synchronous condition (a server's counters) until it holds; fails with `what` after a generous deadline
 * (a check of state, not of speed). The shared `eventually`, polled often enough to see short-lived states.
 */
export async function eventually(condition: () => boolean, what: string, deadlineMs = 15_000): Promise<void> {
  await sharedEventually(condition, what, deadlineMs, 10);
}
