import type { ServerResponse } from 'node:http';
import type { HTTPGraphQLResponse } from '@apollo/server';

/**
 * Writes the status and body of Apollo Server's answer to a node:http
 * response (its headers are the caller's to set: the gateway adds to Vary).
 * A complete body goes out with its length in one write; an incremental one
 * (`@defer`) chunk by chunk.
 */
export async function writeGraphQLAnswer(res: ServerResponse, answer: HTTPGraphQLResponse): Promise<void> {
  res.statusCode = answer.status || 200;
  if (answer.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(answer.body.string));
    res.end(answer.body.string);
    return;
  }
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
}
