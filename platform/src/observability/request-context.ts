import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The header a request id travels in: from the caller, between processes, back in the response, on NATS messages. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What every log line and every event recorded while handling one request or event carries. */
export interface RequestScope { requestId: string }

const storage = new AsyncLocalStorage<RequestScope>();

// Printable ASCII only and bounded, so a caller cannot inject log lines, control characters or megabytes into every line.
const VALID_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/** The caller's request id when it is usable (printable, at most 128 characters), else a new one. */
export function requestIdFrom(value: unknown): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  return typeof candidate === 'string' && VALID_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

/** Runs `fn` as part of the request (or event handling) with this id. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

/** Runs `fn` outside any request: work it schedules (timers, passes of the relay) belongs to no request. */
export function outsideRequest<T>(fn: () => T): T {
  return storage.exit(fn);
}

/** The id of the request or event being handled, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
