import {
  GraphQLArgument, GraphQLField, GraphQLInputType, GraphQLNamedType, GraphQLOutputType, GraphQLSchema, IntrospectionQuery,
  buildClientSchema, getIntrospectionQuery, getNamedType, isInterfaceType, isLeafType, isNonNullType, isObjectType, isUnionType,
} from 'graphql';
import { gql } from './graphql-client';
import { Random, randomValue } from './random-input';

export * from './random-input';

/** An endpoint's schema as a client sees it, from introspection only. */
export async function introspect(url: string, token?: string): Promise<GraphQLSchema> {
  const res = await gql<IntrospectionQuery>(url, getIntrospectionQuery(), {}, token);
  if (res.errors?.length) throw new Error(`introspection failed: ${JSON.stringify(res.errors)}`);
  return buildClientSchema(res.data);
}

/** Builds a selection for `type`: every field (with random arguments for those that take some) down to `depth`. */
export class Selector {
  private vars = new Map<string, { type: GraphQLInputType; value: unknown }>();

  constructor(private schema: GraphQLSchema, private rnd: Random, private hostility = 0.2, private maxFirst = 5) {}

  /** Variables declared so far, for the operation header and the request. */
  variables(): { header: string; values: Record<string, unknown> } {
    const defs = [...this.vars].map(([name, v]) => `$${name}: ${String(v.type)}`);
    return { header: defs.length ? `(${defs.join(', ')})` : '', values: Object.fromEntries([...this.vars].map(([n, v]) => [n, v.value])) };
  }

  /** `name(args)` for a field, arguments passed as variables (refused values included). */
  call(field: GraphQLField<unknown, unknown>): string {
    const args = field.args.filter((a) => isNonNullType(a.type) || this.rnd() < 0.5).map((a) => `${a.name}: $${this.variable(a)}`);
    return args.length ? `${field.name}(${args.join(', ')})` : field.name;
  }

  private variable(arg: GraphQLArgument): string {
    const name = `v${this.vars.size}`;
    let value = randomValue(this.rnd, arg.type, arg.name, this.hostility);
    // Page sizes stay small so that one operation never becomes a bulk read (the refused ones are tried too).
    if (/^(first|last|limit)$/.test(arg.name) && typeof value === 'number') value = value > 100 ? 101 : Math.min(value, this.maxFirst);
    this.vars.set(name, { type: arg.type, value });
    return name;
  }

  selection(type: GraphQLOutputType, depth: number): string {
    const named = getNamedType(type) as GraphQLNamedType;
    if (isLeafType(named)) return '';
    if (isUnionType(named) || isInterfaceType(named)) {
      const members = isUnionType(named) ? named.getTypes() : this.schema.getPossibleTypes(named);
      const parts = depth > 0 ? members.map((m) => `... on ${m.name} ${this.selection(m, depth - 1)}`) : [];
      return `{ __typename ${parts.join(' ')} }`;
    }
    if (!isObjectType(named) || depth <= 0) return '{ __typename }';
    const fields = Object.values(named.getFields()).filter(() => this.rnd() < 0.7);
    const parts = fields.map((f) => `${this.call(f)} ${this.selection(f.type, depth - 1)}`);
    return `{ __typename ${parts.join(' ')} }`;
  }
}
