import { Writable } from 'node:stream';

/** A log destination that keeps each JSON line it is written, parsed, for a test to read. */
export function logLines(): { lines: any[]; stream: Writable } {
  const lines: any[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } });
  return { lines, stream };
}
