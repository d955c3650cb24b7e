type Falsy = null | undefined | false;

/**
 * Polls until `check` returns a truthy value (bounded), for effects that travel through events, and returns that value.
 * `check` may be synchronous (a counter of a server in the test process) or asynchronous (a query); an error it throws
 * counts as "not yet", and the last one is reported if the deadline passes.
 */
export async function eventually<T>(
  check: () => T | Falsy | Promise<T | Falsy>, what = 'condition', ms = 15_000, pollMs = 25,
): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`${what} not reached within ${ms} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
