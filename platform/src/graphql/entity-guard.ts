import {
  GraphQLFieldResolver, GraphQLObjectType, GraphQLOutputType, GraphQLSchema, Kind, SelectionSetNode, defaultFieldResolver,
  getNamedType, isEnumType, isListType, isNonNullType, isObjectType, isScalarType, isUnionType, parse,
} from 'graphql';
import { badInput } from '../errors';
import { isId } from '../ids';

/** The top-level field names of each `@key` of an entity type (nested selections are left to the resolvers). */
function keysOf(type: GraphQLObjectType): string[][] {
  const nodes = [type.astNode, ...(type.extensionASTNodes ?? [])];
  return nodes.flatMap((node) => node?.directives ?? [])
    .filter((d) => d.name.value === 'key' || d.name.value === 'federation__key')
    .map((d) => d.arguments?.find((a) => a.name.value === 'fields')?.value)
    .flatMap((value) => (value?.kind === Kind.STRING ? [value.value] : []))
    .map((fields) => {
      let depth = 0;
      return fields.replace(/[{}]/g, (b) => ` ${b} `).split(/[\s,]+/).filter((token) => {
        if (token === '{') depth += 1;
        else if (token === '}') depth -= 1;
        return token && token !== '{' && token !== '}' && depth === 0;
      });
    });
}

/** An entity type's keys, and those of their fields declared as ID. */
interface EntityKeys { keys: string[][]; idFields: string[] }

function entityKeys(type: GraphQLObjectType): EntityKeys {
  const keys = keysOf(type);
  const fields = type.getFields();
  const idFields = [...new Set(keys.flat().filter((name) => fields[name] && getNamedType(fields[name].type).name === 'ID'))];
  return { keys, idFields };
}

/** Whether a representation can name an entity: it holds one whole key, and every ID among its key fields is an id. */
function plausible({ keys, idFields }: EntityKeys, representation: Record<string, unknown>, isKeyId: (value: unknown) => boolean): boolean {
  for (const name of idFields) {
    if (name in representation && !isKeyId(representation[name])) return false;
  }
  return keys.length === 0 || keys.some((key) => key.every((name) => representation[name] !== undefined && representation[name] !== null));
}

/**
 * One guard for every entity of a subgraph, before any `__resolveReference`:
 * a representation whose key fields declared as ID are not ids (or that
 * lacks a whole key) cannot name anything and resolves to null, never
 * reaching the database; one naming a type this subgraph does not resolve is
 * BAD_USER_INPUT (the federation library would fail it as an internal error).
 */
export function guardEntityRepresentations(schema: GraphQLSchema, isKeyId: (value: unknown) => boolean = isId): void {
  guardRequiredFields(schema);
  const field = schema.getQueryType()?.getFields()._entities;
  const union = schema.getType('_Entity');
  if (!field?.resolve || !isUnionType(union)) return;
  const keys = new Map(union.getTypes().map((type) => [type.name, entityKeys(type)]));
  const resolve = field.resolve as GraphQLFieldResolver<unknown, unknown, { representations: Record<string, unknown>[] }>;
  field.resolve = (root, args: { representations: Record<string, unknown>[] }, ctx, info) => {
    const representations = args.representations ?? [];
    const valid: Record<string, unknown>[] = [];
    const positions = representations.map((representation: Record<string, unknown>, i: number) => {
      const typename = representation?.__typename;
      const entity = typeof typename === 'string' ? keys.get(typename) : undefined;
      if (!entity) {
        throw badInput(`representations[${i}]: ${JSON.stringify(String(typename)).slice(0, 100)} is not an entity type of this subgraph`, 'representations');
      }
      if (!plausible(entity, representation, isKeyId)) return -1;
      valid.push(representation);
      return valid.length - 1;
    });
    const resolved = valid.length ? (resolve(root, { ...args, representations: valid }, ctx, info) as unknown[]) : [];
    return positions.map((p: number) => (p === -1 ? null : resolved[p]));
  };
}

/** Whether a value sent for an external field fits its type along the selection `@requires` names. */
function fits(value: unknown, type: GraphQLOutputType, selection?: SelectionSetNode): boolean {
  if (value === null || value === undefined) return !isNonNullType(type);
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return Array.isArray(value) && value.every((item) => fits(item, inner.ofType, selection));
  if (isEnumType(inner)) return typeof value === 'string' && inner.getValue(value) !== undefined;
  if (isScalarType(inner)) {
    switch (inner.name) {
      case 'Int': return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31;
      case 'Float': return typeof value === 'number' && Number.isFinite(value);
      case 'String': case 'ID': return typeof value === 'string';
      case 'Boolean': return typeof value === 'boolean';
      default:
        try { inner.parseValue(value); return true; } catch { return false; }
    }
  }
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  if (!isObjectType(inner) || !selection) return true;
  const fields = inner.getFields();
  return selection.selections.every((s) => s.kind !== Kind.FIELD || !fields[s.name.value]
    || fits((value as Record<string, unknown>)[s.name.value], fields[s.name.value].type, s.selectionSet));
}

/**
 * A field with `@requires` reads fields the gateway sends in the entity's
 * representation; a representation sent by anyone else may lack them or
 * hold anything. One check for every such field: what it requires must be
 * there and of the declared types, else BAD_USER_INPUT, never an internal error.
 */
export function guardRequiredFields(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const requires = field.astNode?.directives?.find((d) => d.name.value === 'requires' || d.name.value === 'federation__requires');
      const fieldsArg = requires?.arguments?.find((a) => a.name.value === 'fields')?.value;
      if (fieldsArg?.kind !== Kind.STRING) continue;
      const selection = (parse(`{ ${fieldsArg.value} }`).definitions[0] as { selectionSet: SelectionSetNode }).selectionSet;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, ctx, info) => {
        if (!fits(parent, type, selection)) {
          throw badInput(`${type.name}.${field.name} needs ${fieldsArg.value} in the representation, with their declared types`, 'representations');
        }
        return resolve(parent, args, ctx, info);
      };
    }
  }
}
