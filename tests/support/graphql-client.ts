/** A GraphQL answer as the HTTP endpoint returns it. */
export interface GqlResponse<T = any> {
  status: number;
  data: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/** Posts one operation to an endpoint, with an access token when given. */
export async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string | null): Promise<GqlResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as any;
  return { status: res.status, data: body.data, errors: body.errors };
}

/** The error codes of an answer, in order. */
export function codes(res: GqlResponse): string[] {
  return (res.errors ?? []).map((e) => String(e.extensions?.code));
}

/** The data of a successful answer, failing the test with the errors otherwise. */
export function ok<T = any>(res: GqlResponse, field: string): T {
  if (res.errors?.length || !res.data?.[field]) throw new Error(`${field} failed: ${JSON.stringify(res.errors ?? res.data)}`);
  return res.data[field];
}
