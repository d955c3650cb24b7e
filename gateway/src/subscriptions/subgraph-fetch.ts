import { FormattedExecutionResult } from 'graphql';
import { outgoingHeaders } from '@shop/platform';

/** A per-event fetch that takes longer than this fails instead of holding the subscription. */
const FETCH_TIMEOUT_MS = 15_000;

export interface SubgraphRequest {
  query: string;
  operationName?: string;
  variables: Record<string, unknown>;
}

/**
 * Posts the entity fetches of subscription events to subgraphs over HTTP,
 * with the subscribing caller's Authorization, and counts the ones in flight
 * so leak checks can see that an unsubscribe aborted them.
 */
export class SubgraphFetcher {
  private inFlight = 0;

  /** `trustHeaders`: the shared secret subgraphs ask of the gateway (none when unset). */
  constructor(private readonly trustHeaders: Record<string, string> = {}) {}

  get pending(): number {
    return this.inFlight;
  }

  async fetch(
    url: string, request: SubgraphRequest, authorization: string | undefined, signal: AbortSignal, requestId?: string,
  ): Promise<FormattedExecutionResult> {
    this.inFlight += 1;
    // A timer cleared on completion, not AbortSignal.timeout, whose timer would hold memory for the full period after every fetch.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error(`Subgraph at ${url} did not answer within ${FETCH_TIMEOUT_MS} ms`)), FETCH_TIMEOUT_MS);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.trustHeaders, ...outgoingHeaders(requestId), ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(request),
        signal: AbortSignal.any([signal, timeout.signal]),
      });
      const body = await res.json().catch(() => null) as FormattedExecutionResult | null;
      if (!body || (body.data === undefined && !body.errors)) {
        throw new Error(`Subgraph at ${url} answered ${res.status} without a GraphQL result`);
      }
      return body;
    } finally {
      clearTimeout(timer);
      this.inFlight -= 1;
    }
  }
}
