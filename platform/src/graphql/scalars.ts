import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/** True for a calendar date that exists (no 31 February, no month 13) and a clock time of one day. */
function realDateTime(m: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second = '0', offsetHour = '0', offsetMinute = '0'] = m.slice(1);
  const d = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads years 0 to 99 as 1900 to 1999.
  d.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  return d.getUTCFullYear() === Number(year) && d.getUTCMonth() === Number(month) - 1 && d.getUTCDate() === Number(day)
    && Number(hour) < 24 && Number(minute) < 60 && Number(second) < 60 && Number(offsetHour) < 24 && Number(offsetMinute) < 60;
}

function parse(value: unknown): Date {
  const match = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  const date = match && realDateTime(match) ? new Date(value as string) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime must be an ISO 8601 date-time string, e.g. 2026-11-22T10:00:00Z', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return date;
}

/** ISO 8601 date-time (years 0000 to 9999, with a time zone), always rendered in UTC. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO 8601 date-time in UTC, e.g. 2026-11-22T10:00:00.000Z',
  serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : null),
});

/**
 * Every custom scalar of the shop's schemas, by name: the subgraphs resolve
 * them, and the gateway checks input against the same rules before anything
 * leaves it.
 */
export const customScalars: Record<string, GraphQLScalarType> = { DateTime: DateTimeScalar };
