/**
 * Async iterators for long-lived event streams (subscriptions). Unlike an
 * `async function*`, whose `return()` waits behind a pending `next()` until
 * the next event arrives, these end at once when the consumer returns: a
 * client that unsubscribes releases the NATS subscription, the upstream
 * operation and any fetch in flight immediately, not at the next event.
 */

const DONE: IteratorResult<never> = { done: true, value: undefined };

/** An event stream fed by `push`, ended by `end` (producer) or `return` (consumer). */
export interface Pushable<T> extends AsyncIterableIterator<T> {
  push(value: T): void;
  /** Ends the stream after the buffered values; with an error, `next()` then rejects with it. */
  end(error?: unknown): void;
  readonly ended: boolean;
}

/**
 * A pushable stream holding at most `maxBuffered` unread values: a consumer
 * that falls behind loses the oldest ones (a live view wants the latest
 * state, and an unbounded buffer would grow without limit). `onClose` runs
 * exactly once, whichever side ends the stream.
 */
export function pushable<T>(onClose: () => void = () => undefined, maxBuffered = 1000): Pushable<T> {
  const buffer: T[] = [];
  let waiting: { resolve(r: IteratorResult<T>): void; reject(e: unknown): void } | null = null;
  let ended = false;
  let closed = false;
  let failure: { error: unknown } | null = null;
  const close = () => {
    if (closed) return;
    closed = true;
    onClose();
  };
  // The consumer is gone: unread values and a pending failure no longer matter.
  const discard = () => {
    buffer.length = 0;
    failure = null;
    stream.end();
  };
  const stream: Pushable<T> = {
    [Symbol.asyncIterator]() { return stream; },
    get ended() { return ended; },
    push(value) {
      if (ended) return;
      if (waiting) { const w = waiting; waiting = null; w.resolve({ done: false, value }); return; }
      buffer.push(value);
      if (buffer.length > maxBuffered) buffer.shift();
    },
    end(error) {
      if (ended) return;
      ended = true;
      if (error !== undefined) failure = { error };
      close();
      if (waiting) {
        const w = waiting; waiting = null;
        if (failure) { const { error: e } = failure; failure = null; w.reject(e); } else w.resolve(DONE);
      }
    },
    next() {
      if (buffer.length) return Promise.resolve({ done: false, value: buffer.shift()! });
      if (ended) {
        if (failure) { const { error } = failure; failure = null; return Promise.reject(error); }
        return Promise.resolve(DONE);
      }
      return new Promise((resolve, reject) => { waiting = { resolve, reject }; });
    },
    return() {
      discard();
      return Promise.resolve(DONE);
    },
    throw(error) {
      discard();
      return Promise.reject(error);
    },
  };
  return stream;
}

/**
 * Maps every value of `source` through `map`, one at a time and in order.
 * `return()` settles a pending `next()` at once, returns the source and calls
 * `onEnd` (once, however the stream ends), so work in flight can be aborted.
 */
export function mapStream<S, T>(
  source: AsyncIterator<S>, map: (value: S) => Promise<T> | T, onEnd: () => void = () => undefined,
): AsyncIterableIterator<T> {
  let finished = false;
  let waiting: ((r: IteratorResult<T>) => void) | null = null;
  const finish = () => {
    if (finished) return;
    finished = true;
    onEnd();
    if (waiting) { const w = waiting; waiting = null; w(DONE); }
    source.return?.()?.catch(() => undefined);
  };
  const stream: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]() { return stream; },
    next() {
      if (finished) return Promise.resolve(DONE);
      return new Promise<IteratorResult<T>>((resolve, reject) => {
        waiting = resolve;
        (async () => {
          const step = await source.next();
          if (step.done) { finish(); return DONE; }
          return { done: false, value: await map(step.value) } as IteratorResult<T>;
        })().then((result) => {
          if (waiting !== resolve) return; // returned meanwhile: the result is dropped
          waiting = null;
          resolve(result);
        }, (error) => {
          if (waiting !== resolve) return;
          waiting = null;
          finish();
          reject(error);
        });
      });
    },
    return() { finish(); return Promise.resolve(DONE); },
    throw(error) { finish(); return Promise.reject(error); },
  };
  return stream;
}

/** `first`, then everything of `rest`; returning it returns `rest` at once (a subscription's initial snapshot). */
export function startWith<T>(first: T, rest: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  let pending = true;
  const stream: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]() { return stream; },
    next() {
      if (pending) { pending = false; return Promise.resolve({ done: false, value: first }); }
      return rest.next();
    },
    return() {
      pending = false;
      return rest.return ? rest.return() : Promise.resolve(DONE);
    },
    throw(error) {
      pending = false;
      return rest.throw ? rest.throw(error) : Promise.reject(error);
    },
  };
  return stream;
}
