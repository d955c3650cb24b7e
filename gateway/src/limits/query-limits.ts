import { DocumentNode, GraphQLError, Kind, GraphQLSchema, OperationDefinitionNode, ValidationContext, ValidationRule, validate } from 'graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GatewayLimits } from '@shop/platform';
import { operationCost } from './query-cost';

/** The one code of every refusal for size: clients tell it from a mistake in the document. */
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

export function tooComplex(message: string, limit: string, max: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: QUERY_TOO_COMPLEX, limit, max, http: { status: 400 } } });
}

/** graphql-armor's depth, alias and directive rules, reporting our error instead of throwing theirs. */
function armorRules(limits: GatewayLimits): ValidationRule[] {
  const report = (limit: string, max: number) => [(ctx: ValidationContext | null, error: GraphQLError) => {
    ctx?.reportError(tooComplex(`${error.message.replace(/^Syntax Error: /, '')} Ask for less in one operation.`, limit, max));
  }];
  const off = { enabled: false };
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, exposeLimits: true, ignoreIntrospection: true, propagateOnRejection: false, onReject: report('depth', limits.maxDepth) },
    maxAliases: { n: limits.maxAliases, exposeLimits: true, propagateOnRejection: false, onReject: report('aliases', limits.maxAliases) },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true, propagateOnRejection: false, onReject: report('directives', limits.maxDirectives) },
    costLimit: off, maxTokens: off, blockFieldSuggestion: off,
  }).protect().validationRules;
}

/**
 * Depth, alias, directive and cost limits of one operation, checked on the
 * validated document before anything runs (the token limit applies earlier,
 * when it is parsed). Used for HTTP and for graphql-ws alike.
 */
export class QueryLimits {
  private readonly rules: ValidationRule[];
  /**
   * Documents found within the depth, alias and directive limits, and their
   * cost when it cannot depend on variables: Apollo Server hands the same
   * parsed document for every request of one query text, so each is walked once per schema.
   */
  private readonly passed = new WeakMap<DocumentNode, { schema: GraphQLSchema; cost?: number }>();

  constructor(private readonly limits: GatewayLimits) {
    this.rules = armorRules(limits);
  }

  /** Options for graphql-js's parser: documents longer than this many tokens are refused unread. */
  get parseOptions(): { maxTokens: number } {
    return { maxTokens: this.limits.maxTokens };
  }

  /** The first limit the operation exceeds, or null. */
  check(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables?: Record<string, unknown>): GraphQLError | null {
    let known = this.passed.get(document);
    if (known?.schema !== schema) {
      const [exceeded] = validate(schema, document, this.rules);
      if (exceeded) return exceeded;
      known = { schema };
      this.passed.set(document, known);
    }
    let cost = known.cost;
    if (cost === undefined) {
      cost = operationCost(schema, document, operation, variables ?? {});
      // Without variables the cost is the document's; an operation of a document with several is costed each time.
      if (!operation.variableDefinitions?.length && countOperations(document) === 1) known.cost = cost;
    }
    if (cost > this.limits.maxCost) {
      return tooComplex(
        `Query cost limit of ${this.limits.maxCost} exceeded, found ${cost} (each object field counts 1 plus its page size times what it selects). Ask for smaller pages or fewer nested lists.`,
        'cost', this.limits.maxCost,
      );
    }
    return null;
  }
}

function countOperations(document: DocumentNode): number {
  let n = 0;
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION) n += 1;
  return n;
}
