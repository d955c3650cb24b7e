import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DocumentNode, getOperationAST, parse } from 'graphql';

interface Follower { res: Response; next: NextFunction }
interface Flight { followers: Follower[] }

/** Operation types of documents seen, by text: many clients send the same few documents. */
const MAX_KNOWN_DOCUMENTS = 1000;

/**
 * Opt-in (GATEWAY_INBOUND_DEDUP): a query that arrives while an identical
 * one is being executed waits for that execution and gets the same answer
 * (status, headers, body). Identical means the same document, operation
 * name, variables and extensions from the same caller: the Authorization
 * header and the headers that shape the answer (Accept, Content-Type) are
 * part of the key, so no caller ever receives what another caller's
 * identity produced. Only queries: a mutation is always executed. Nothing is
 * kept once the execution has answered; this collapses concurrent requests,
 * it is not a cache.
 */
export function inboundDedup(): RequestHandler {
  const inFlight = new Map<string, Flight>();
  const operationTypes = new Map<string, Map<string, string | null>>();

  const isQuery = (query: unknown, operationName: unknown): boolean => {
    if (typeof query !== 'string' || (operationName != null && typeof operationName !== 'string')) return false;
    let byName = operationTypes.get(query);
    if (!byName) {
      if (operationTypes.size >= MAX_KNOWN_DOCUMENTS) operationTypes.delete(operationTypes.keys().next().value!);
      byName = new Map();
      operationTypes.set(query, byName);
    }
    const name = (operationName as string | null | undefined) ?? '';
    if (!byName.has(name)) {
      let document: DocumentNode | null = null;
      try { document = parse(query); } catch { /* Apollo answers the syntax error itself */ }
      byName.set(name, document ? getOperationAST(document, operationName as string | undefined)?.operation ?? null : null);
    }
    return byName.get(name) === 'query';
  };

  return (req: Request, res: Response, next: NextFunction) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (req.method !== 'POST' || !body || typeof body !== 'object' || Array.isArray(body) || !isQuery(body.query, body.operationName)) {
      next();
      return;
    }
    const key = JSON.stringify([req.headers.authorization ?? null, req.headers.accept ?? null, req.headers['content-type'] ?? null,
      req.headers['apollo-require-preflight'] ?? null, body.query, body.operationName ?? null, body.variables ?? null, body.extensions ?? null]);
    const flight = inFlight.get(key);
    if (flight) {
      flight.followers.push({ res, next });
      return;
    }
    const own: Flight = { followers: [] };
    inFlight.set(key, own);
    let streamed = false;
    let settled = false;
    // Whatever did not get the leader's answer executes on its own.
    const release = (answer?: (follower: Follower) => void) => {
      if (settled) return;
      settled = true;
      inFlight.delete(key);
      for (const follower of own.followers) {
        if (answer) answer(follower);
        else follower.next();
      }
    };
    const write = res.write.bind(res);
    res.write = ((...args: Parameters<Response['write']>) => { streamed = true; release(); return write(...args); }) as Response['write'];
    const end = res.end.bind(res);
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (streamed || typeof chunk === 'function') release();
      else {
        const status = res.statusCode;
        const headers = res.getHeaders();
        release((follower) => {
          follower.res.status(status);
          for (const [name, value] of Object.entries(headers)) if (value !== undefined) follower.res.setHeader(name, value as string | string[]);
          follower.res.end(chunk as Buffer | string | undefined);
        });
      }
      return (end as (...a: unknown[]) => Response)(chunk, ...rest);
    }) as Response['end'];
    res.once('close', () => release());
    next();
  };
}
