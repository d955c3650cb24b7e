import { createHash } from 'node:crypto';
import zlib, { brotliCompressSync, gzipSync } from 'node:zlib';
import { Request, Response } from 'express';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

let page: string | null = null;

/**
 * GraphiQL, the admin's IDE, as one self-contained page: its scripts are
 * inlined from the package, so it works with no internet access.
 */
export function idePage(): string {
  page ??= renderGraphiQL({
    endpoint: '/graphql',
    subscriptionsProtocol: 'WS',
    title: 'Shop GraphQL',
    defaultQuery: '# Sign in with the login mutation, then add\n# { "Authorization": "Bearer <accessToken>" } in Headers below.\n\nquery Products {\n  products(first: 5) {\n    edges { node { name price { amount currency } stock { available } } }\n  }\n}\n',
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: 'headers',
    shouldPersistHeaders: true,
  });
  return page;
}

/** The page, once per process, as it is sent: raw, gzip and brotli bodies and their one ETag. */
interface IdeBodies { etag: string; identity: Buffer; gzip: Buffer; br: Buffer }
let bodies: IdeBodies | null = null;

function ideBodies(): IdeBodies {
  if (!bodies) {
    const identity = Buffer.from(idePage());
    bodies = {
      etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
      identity,
      gzip: gzipSync(identity, { level: 9 }),
      br: brotliCompressSync(identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
    };
  }
  return bodies;
}

/**
 * Sends the IDE: compressed once for the life of the process (brotli or
 * gzip, as the browser accepts), with an ETag, so a repeated visit is a
 * 304 with no body. `no-cache` makes the browser revalidate, so a new
 * release is seen on the next visit.
 */
export function serveIde(req: Request, res: Response): void {
  const page = ideBodies();
  res.setHeader('ETag', page.etag);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  // Brotli first whatever order the browser lists them in: it is the smaller of the two.
  const encoding = req.acceptsEncodings('br') === 'br' ? 'br' : req.acceptsEncodings('gzip') === 'gzip' ? 'gzip' : 'identity';
  const body = encoding === 'br' ? page.br : encoding === 'gzip' ? page.gzip : page.identity;
  if (encoding === 'br' || encoding === 'gzip') res.setHeader('Content-Encoding', encoding);
  res.type('html').send(body);
}
