import { Pool } from 'undici';
import { GqlResponse } from '../../tests/support/graphql-client';

/**
 * The customers' GraphQL client: keep-alive connections to the gateway, one
 * per customer, through undici's request API rather than `fetch` (whose web
 * streams cost the benchmark several times more CPU per request). The
 * benchmark shares the machine's cores with the shop: what it spends on its
 * own requests is taken from the shop.
 */
export class GatewayClient {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(url: string, connections: number) {
    const parsed = new URL(url);
    this.pool = new Pool(parsed.origin, { connections, keepAliveTimeout: 30_000 });
    this.path = parsed.pathname + parsed.search;
  }

  async gql<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<GqlResponse<T>> {
    const res = await this.pool.request({
      method: 'POST',
      path: this.path,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.body.json()) as { data?: T; errors?: GqlResponse['errors'] };
    return { status: res.statusCode, data: body.data as T, errors: body.errors };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
