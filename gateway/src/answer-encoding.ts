import type http from 'node:http';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import Negotiator from 'negotiator';

/**
 * How the gateway's direct POST path compresses answers, as the compression
 * middleware in front of Express does (compression 1.8): answers under 1 KB
 * go as they are; larger ones in the encoding the client prefers among br,
 * gzip and deflate (br then gzip on a tie), br at quality 4; none when the
 * answer says `Cache-Control: no-transform`.
 */
const THRESHOLD = 1024;
const SUPPORTED = ['br', 'gzip', 'deflate', 'identity'];
const PREFERRED = ['br', 'gzip'];
const NO_TRANSFORM = /(?:^|,)\s*?no-transform\s*?(?:,|$)/i;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const deflate = promisify(zlib.deflate);
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } };

export type AnswerEncoding = 'br' | 'gzip' | 'deflate';

/** The encoding a complete answer of `body` goes out in, or null for none. */
export function answerEncoding(req: http.IncomingMessage, res: http.ServerResponse, body: string): AnswerEncoding | null {
  const accepted = req.headers['accept-encoding'];
  if (!accepted || body.length < THRESHOLD / 4 || Buffer.byteLength(body) < THRESHOLD) return null;
  if (NO_TRANSFORM.test(String(res.getHeader('cache-control') ?? ''))) return null;
  // negotiator 1.x takes the preferred encodings as an option (its published types still describe 0.6).
  const negotiator = new Negotiator(req) as unknown as { encoding(available: string[], options: { preferred: string[] }): string | undefined };
  const method = negotiator.encoding(SUPPORTED, { preferred: PREFERRED });
  return method === 'br' || method === 'gzip' || method === 'deflate' ? method : null;
}

export function encode(body: string, encoding: AnswerEncoding): Promise<Buffer> {
  return encoding === 'br' ? brotli(body, BROTLI) : encoding === 'gzip' ? gzip(body) : deflate(body);
}
