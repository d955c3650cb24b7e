import { UserError, userError } from '@shop/platform';

/** The longest reason a customer or an ADMIN may give. */
export const MAX_REASON_LENGTH = 1000;

/** The reason trimmed, or the userError saying why it cannot be used. */
export function checkReason(reason: string, field = 'reason'): { reason: string } | { error: UserError } {
  const trimmed = reason.trim();
  if (!trimmed) return { error: userError('INVALID_REASON', 'Say why, in a few words', [field]) };
  if (trimmed.length > MAX_REASON_LENGTH) {
    return { error: userError('INVALID_REASON', `The reason may be at most ${MAX_REASON_LENGTH} characters`, [field]) };
  }
  return { reason: trimmed };
}
