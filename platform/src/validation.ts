import { z } from 'zod';
import { UserError, userError } from './errors';

export { z };

export type Validated<T> = { ok: true; data: T } | { ok: false; userErrors: UserError[] };

/** Checks input against a schema, turning each issue into a `userErrors` entry (code INVALID_INPUT). */
export function validate<T>(schema: z.ZodType<T>, input: unknown, root: string[] = ['input']): Validated<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    userErrors: result.error.issues.map((issue) =>
      userError('INVALID_INPUT', issue.message, [...root, ...issue.path.map(String)])),
  };
}
