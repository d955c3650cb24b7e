/**
 * Serves the four benchmark subgraphs from one process, at
 * `/<name>/graphql` (POST GraphQL, GET anything: 200, for the gateway's
 * /ready probe). `tsx bench/gateway/subgraph-server.ts <port>`.
 *
 * The benchmark's subgraphs are Rust and cost the gateways next to nothing;
 * these must not be what the run measures either. So a document is parsed
 * and validated once, and since the data never changes, the answer to one
 * request body is computed once and served again as the same bytes
 * (`SUBGRAPH_MEMO=0` turns that off).
 */
import http from 'node:http';
import { DocumentNode, GraphQLSchema, execute, parse, validate } from 'graphql';
import { BenchSubgraph, SUBGRAPHS, subgraphSchema } from './subgraphs';

const schemas = new Map<string, GraphQLSchema>(Object.keys(SUBGRAPHS).map((name) => [name, subgraphSchema(name as BenchSubgraph)]));
const documents = new Map<string, DocumentNode | readonly Error[]>();
const answers = new Map<string, Buffer>();
const MEMO = process.env.SUBGRAPH_MEMO !== '0';
const MAX_MEMO = 10_000;

async function answer(name: string, schema: GraphQLSchema, body: string): Promise<Buffer> {
  const { query, variables, operationName } = JSON.parse(body);
  const key = `${name}\n${query}`;
  let document = documents.get(key);
  if (!document) {
    const parsed = parse(query);
    const errors = validate(schema, parsed);
    document = errors.length ? errors : parsed;
    documents.set(key, document);
  }
  const result = Array.isArray(document)
    ? { errors: document.map((e) => ({ message: e.message })) }
    : await execute({ schema, document: document as DocumentNode, variableValues: variables, operationName });
  return Buffer.from(JSON.stringify(result));
}

const server = http.createServer((req, res) => {
  const [, name] = (req.url ?? '').split('/');
  const schema = schemas.get(name ?? '');
  if (req.method !== 'POST') { res.end('OK'); return; }
  if (!schema) { res.statusCode = 404; res.end(); return; }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const memoKey = `${name}\n${body}`;
    const memo = MEMO ? answers.get(memoKey) : undefined;
    const send = (bytes: Buffer) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
      res.end(bytes);
    };
    if (memo) { send(memo); return; }
    answer(name!, schema, body).then((bytes) => {
      if (MEMO && answers.size < MAX_MEMO) answers.set(memoKey, bytes);
      send(bytes);
    }, (e: Error) => {
      res.statusCode = 400;
      res.end(JSON.stringify({ errors: [{ message: e.message }] }));
    });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2] ?? 4200), '127.0.0.1', () => {
  process.stdout.write(`subgraphs ready ${(server.address() as { port: number }).port}\n`);
});
process.once('SIGTERM', () => process.exit(0));
