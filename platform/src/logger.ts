import pino from 'pino';
import { currentRequestId } from './observability/request-context';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** `pretty` (human-readable), `json`, or `auto`: pretty in a terminal outside production and tests. */
  format?: 'auto' | 'pretty' | 'json';
  /** Where lines go (tests read them); stdout by default. */
  destination?: pino.DestinationStream;
}

function pretty(format: LoggerOptions['format']): boolean {
  if (format === 'pretty') return true;
  if (format === 'json') return false;
  // Not under test runners either (NODE_ENV=test), whose terminals would get a pretty-printing worker per logger.
  return Boolean(process.stdout.isTTY) && process.env.NODE_ENV !== 'production' && process.env.NODE_ENV !== 'test';
}

/**
 * Structured logs, one logger per process part. Every line written while a
 * request or an event is handled carries its `requestId`, whichever child
 * logger writes it.
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info', options: LoggerOptions = {}): Logger {
  const format = options.format ?? (process.env.LOG_FORMAT as LoggerOptions['format']) ?? 'auto';
  const base: pino.LoggerOptions = {
    name,
    level,
    mixin() {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty(format)) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return pino(base);
}
