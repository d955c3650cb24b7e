/**
 * SQLSTATEs and socket errors that say the database cannot serve right now
 * (as opposed to a bug or a refused statement): connection failures (class
 * 08), too many connections, the server shutting down or starting, a
 * database closed to connections.
 */
const UNAVAILABLE_SQLSTATES = new Set(['53300', '57P01', '57P02', '57P03', '55000']);
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/** Whether `error` (or what it wraps) is the database being unavailable: the pool could not get or keep a connection. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.originalError ?? e.cause, depth += 1) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
    // The pool's wait for a free connection ran out (knex/tarn), or the client's connection attempt did (pg).
    if (e.name === 'KnexTimeoutError' || e.name === 'ConnectionException') return true;
    if (typeof e.message === 'string' && /^(Connection terminated|timeout exceeded when trying to connect)/.test(e.message)) return true;
  }
  return false;
}
