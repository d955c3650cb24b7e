import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';

export const PERSISTED_QUERY_NOT_ALLOWED = 'PERSISTED_QUERY_NOT_ALLOWED';

/** The hash APQ names a document by: SHA-256 of its exact text, in hex. */
export function documentHash(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

type Manifest = Record<string, string> | { format?: string; operations: { id: string; body: string }[] };

/**
 * The operations the shop's own apps may run: a JSON object of sha256 →
 * document, or Apollo's persisted query manifest (`operations: [{ id, body }]`).
 * Every hash must be that of its document, else the gateway refuses to start.
 */
export class Safelist {
  private constructor(private readonly documents: ReadonlyMap<string, string>) {}

  static load(path: string): Safelist {
    let parsed: Manifest;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`GATEWAY_SAFELIST: cannot read ${path} as JSON: ${(e as Error).message}`);
    }
    const entries: [string, unknown][] = Array.isArray((parsed as any)?.operations)
      ? (parsed as any).operations.map((o: any) => [o?.id, o?.body])
      : Object.entries(parsed ?? {});
    const documents = new Map<string, string>();
    for (const [hash, body] of entries) {
      if (typeof body !== 'string' || documentHash(body) !== hash) {
        throw new Error(`GATEWAY_SAFELIST: entry ${String(hash)} in ${path} is not the sha256 of its document`);
      }
      documents.set(hash, body);
    }
    return new Safelist(documents);
  }

  get size(): number {
    return this.documents.size;
  }

  allows(source: string): boolean {
    return this.documents.has(documentHash(source));
  }

  /**
   * The APQ store in safelist mode: a hash-only request finds its document
   * in the manifest; nothing a client sends is ever stored.
   */
  asPersistedQueryCache() {
    return {
      get: async (key: string) => this.documents.get(key.replace(/^apq:/, '')),
      set: async () => undefined,
      delete: async () => undefined,
    };
  }
}

export function notAllowed(): GraphQLError {
  return new GraphQLError('This gateway runs only the operations registered for the shop\'s apps; this document is not one of them', {
    extensions: { code: PERSISTED_QUERY_NOT_ALLOWED, http: { status: 400 } },
  });
}
