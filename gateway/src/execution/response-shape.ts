import {
  DirectiveNode, DocumentNode, FragmentDefinitionNode, GraphQLCompositeType, GraphQLError, GraphQLNamedType, GraphQLObjectType,
  GraphQLOutputType, GraphQLSchema, Kind, OperationDefinitionNode, SelectionSetNode, getNamedType, isAbstractType, isCompositeType,
  isEnumType, isInterfaceType, isListType, isNonNullType, isObjectType, valueFromASTUntyped, GraphQLBoolean, GraphQLFloat,
  GraphQLID, GraphQLInt, GraphQLString,
} from 'graphql';
import { ERRORS } from '@apollo/federation-internals';

/** `@skip`/`@include` of a selection: a literal, or the name of the variable that decides. */
interface Conditions { skip?: boolean | string; include?: boolean | string }

interface FieldSelection extends Conditions {
  kind: 'field';
  responseName: string;
  typename: boolean;
  type: GraphQLOutputType;
  selections?: Selection[];
}
interface FragmentSelection extends Conditions { kind: 'fragment'; typeCondition?: GraphQLCompositeType; selections: Selection[] }
type Selection = FieldSelection | FragmentSelection;

/** A client operation compiled once against the API schema, to shape every merged result of its plan. */
export interface ShapedOperation {
  schema: GraphQLSchema;
  root: GraphQLObjectType;
  selections: Selection[];
  /** Defaults of the operation's variables, for @skip/@include and plan conditions. */
  defaults: Record<string, unknown>;
}

type Path = (string | number)[];
interface Shaping { schema: GraphQLSchema; variables: Record<string, unknown>; errors: GraphQLError[] }

const integer = /^[+-]?\d+$/;
const SPECIFIED_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

function conditionsOf(directives: readonly DirectiveNode[] | undefined): Conditions {
  const out: Conditions = {};
  for (const d of directives ?? []) {
    if (d.name.value !== 'skip' && d.name.value !== 'include') continue;
    const arg = d.arguments?.find((a) => a.name.value === 'if')?.value;
    const value = arg?.kind === Kind.VARIABLE ? arg.name.value : arg?.kind === Kind.BOOLEAN ? arg.value : undefined;
    if (value !== undefined) out[d.name.value] = value;
  }
  return out;
}

/**
 * Compiles the operation of a document, or answers null when it needs what
 * only @apollo/gateway's executor does (introspection of the schema).
 */
export function compileOperation(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): ShapedOperation | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root = schema.getRootType(operation.operation);
  if (!root) return null;
  let unsupported = false;
  const compile = (set: SelectionSetNode, parent: GraphQLCompositeType): Selection[] => set.selections.map((s): Selection => {
    if (s.kind === Kind.FIELD) {
      const name = s.name.value;
      const responseName = s.alias?.value ?? name;
      if (name === '__typename') return { kind: 'field', responseName, typename: true, type: GraphQLString, ...conditionsOf(s.directives) };
      if (name === '__schema' || name === '__type') unsupported = true;
      const definition = isObjectType(parent) || 'getFields' in parent ? (parent as GraphQLObjectType).getFields()[name] : undefined;
      if (!definition) { unsupported = true; return { kind: 'field', responseName, typename: false, type: GraphQLString }; }
      const named = getNamedType(definition.type);
      return {
        kind: 'field', responseName, typename: false, type: definition.type, ...conditionsOf(s.directives),
        selections: s.selectionSet && isCompositeType(named) ? compile(s.selectionSet, named) : undefined,
      };
    }
    const fragment = s.kind === Kind.FRAGMENT_SPREAD ? fragments.get(s.name.value) : s;
    if (!fragment) { unsupported = true; return { kind: 'fragment', selections: [] }; }
    const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : undefined;
    if (fragment.typeCondition && (!condition || !isCompositeType(condition))) { unsupported = true; return { kind: 'fragment', selections: [] }; }
    return {
      kind: 'fragment', typeCondition: condition as GraphQLCompositeType | undefined, ...conditionsOf(s.directives),
      selections: compile(fragment.selectionSet, (condition as GraphQLCompositeType | undefined) ?? parent),
    };
  });
  const selections = compile(operation.selectionSet, root);
  if (unsupported) return null;
  const defaults: Record<string, unknown> = Object.create(null);
  for (const v of operation.variableDefinitions ?? []) if (v.defaultValue) defaults[v.variable.name.value] = valueFromASTUntyped(v.defaultValue);
  return { schema, root, selections, defaults };
}

function decided(value: boolean | string, variables: Record<string, unknown>): boolean {
  return typeof value === 'boolean' ? value : variables[value] === true;
}

function skipped(s: Conditions, variables: Record<string, unknown>): boolean {
  return (s.skip !== undefined && decided(s.skip, variables)) || (s.include !== undefined && !decided(s.include, variables));
}

/** Whether `type` is `condition` or one of its possible types (federation-internals' isSubtype for composite types). */
function isSubtype(schema: GraphQLSchema, condition: GraphQLCompositeType, type: GraphQLNamedType): boolean {
  return condition === type || (isAbstractType(condition) && (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(condition, type));
}

function describe(path: Path, type: GraphQLOutputType, parent: GraphQLCompositeType): string {
  const element = path[path.length - 1]!;
  return typeof element === 'string' ? `field ${parent.name}.${element}` : `array element of type ${String(type)} at index ${element}`;
}

function isValidLeaf(value: unknown, type: GraphQLNamedType): boolean {
  // Custom scalars take any value.
  if (!isEnumType(type) && !SPECIFIED_SCALARS.has(type.name)) return true;
  if (typeof value === 'boolean') return type === GraphQLBoolean;
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (type === GraphQLInt || type === GraphQLID) return integer.test(String(value));
    return type === GraphQLFloat;
  }
  if (typeof value === 'string') {
    if (isEnumType(type)) return type.getValue(value) !== undefined;
    return type !== GraphQLBoolean && type !== GraphQLInt && type !== GraphQLFloat;
  }
  return false;
}

/**
 * The client's response from the merged data of a plan, as @apollo/gateway's
 * computeResponse makes it: only the fields selected, in the client's
 * order, under its aliases; __typename filled in; @skip/@include applied; a
 * null in a non-null position nulls the nearest nullable parent, and the
 * "cannot return null" or invalid value found is reported in `errors`.
 */
export function shapeResponse(op: ShapedOperation, variables: Record<string, unknown> | undefined, input: Record<string, any> | null | undefined) {
  const shaping: Shaping = { schema: op.schema, variables: { __proto__: null, ...op.defaults, ...variables } as any, errors: [] };
  if (!input) return { data: input, errors: shaping.errors };
  const data = Object.create(null);
  const bubbled = applySelections(input, op.selections, data, shaping, [], op.root);
  return { data: bubbled ? null : data, errors: shaping.errors };
}

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Returns true when a null must bubble up past this object. */
function applySelections(input: Record<string, any>, selections: Selection[], output: Record<string, any>, s: Shaping, path: Path, parent: GraphQLCompositeType): boolean {
  for (const selection of selections) {
    if ((selection.skip !== undefined || selection.include !== undefined) && skipped(selection, s.variables)) continue;
    if (selection.kind === 'field') {
      const key = selection.responseName;
      const current = output[key];
      let value = hasOwn(input, key) ? input[key] ?? null : null;
      if (selection.typename) {
        if (current === undefined) {
          if (value === null && key !== '__typename') value = input.__typename ?? null;
          const type = typeof value === 'string' ? s.schema.getType(value) ?? parent : parent;
          if (!isObjectType(type)) return true;
          output[key] = type.name;
        }
        continue;
      }
      path.push(key);
      output[key] = update(current, selection.type, value, selection.selections, path, s, parent);
      path.pop();
      if (invalid) return true;
    } else {
      const typename = input.__typename;
      const applies = !selection.typeCondition
        || (typename ? (() => { const t = s.schema.getType(typename); return !!t && isSubtype(s.schema, selection.typeCondition!, t); })()
          : isSubtype(s.schema, selection.typeCondition, parent));
      if (applies && applySelections(input, selection.selections, output, s, path, selection.typeCondition ?? parent)) return true;
    }
  }
  return false;
}

/*
 * What the last `update` call found besides its value, read by its caller at
 * once (shaping is synchronous): whether the null it returned must bubble
 * up, and whether an error already explains it. Flags rather than a result
 * object per field keep shaping from allocating for every value.
 */
let invalid = false;
let explained = false;

function done(value: any, isInvalid: boolean, hasErrors: boolean): any {
  invalid = isInvalid;
  explained = hasErrors;
  return value;
}

function update(current: any, type: GraphQLOutputType, value: any, selections: Selection[] | undefined, path: Path, s: Shaping, parent: GraphQLCompositeType): any {
  if (current === null || (current !== undefined && !selections)) return done(current, false, false);
  if (isNonNullType(type)) {
    const inner = update(current, type.ofType, value, selections, path, s, parent);
    if (inner === null) {
      if (!explained) {
        s.errors.push(ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${describe(path, type.ofType, parent)}.`, { path: Array.from(path) }));
      }
      return done(null, true, true);
    }
    return done(inner, false, false);
  }
  if (value === null) return done(null, false, false);
  if (isListType(type)) {
    if (!Array.isArray(value)) throw new Error(`Invalid non-list value ${value} returned by subgraph for list type ${String(type)}`);
    const list: any[] = current === undefined ? new Array(value.length).fill(undefined) : current;
    if (list.length !== value.length) throw new Error(`[${value}].length (${value.length}) !== [${list}].length (${list.length})`);
    let nullify = false;
    let hasErrors = false;
    for (let i = 0; i < list.length; i++) {
      path.push(i);
      list[i] = update(list[i], type.ofType, value[i], selections, path, s, parent);
      path.pop();
      nullify ||= invalid;
      hasErrors ||= explained;
    }
    return done(nullify ? null : list, false, hasErrors);
  }
  if (isCompositeType(type)) {
    if (typeof value !== 'object') throw new Error(`Invalid non-object value ${value} returned by subgraph for composite type ${type.name}`);
    const typename = value.__typename;
    let objType: GraphQLCompositeType = type;
    if (typename) {
      const named = s.schema.getType(typename);
      if (!named || !isCompositeType(named)) {
        s.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${describe(path, type, parent)}.`, { path: Array.from(path) }));
        return done(null, false, true);
      }
      objType = named;
    }
    const object = current === undefined ? Object.create(null) : current;
    const bubbled = applySelections(value, selections!, object, s, path, objType);
    return done(bubbled ? null : object, false, bubbled);
  }
  if (isValidLeaf(value, type)) return done(value, false, false);
  s.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${describe(path, type, parent)}.`, { path: Array.from(path) }));
  return done(null, false, true);
}
