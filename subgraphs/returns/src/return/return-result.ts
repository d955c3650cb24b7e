import { UserError } from '@shop/platform';
import { ReturnRequest } from './return-request.entity';

/** What a return command answers (the GraphQL ReturnPayload). */
export interface ReturnResult { returnRequest: ReturnRequest | null; userErrors: UserError[] }

export function refused(error: UserError, returnRequest: ReturnRequest | null = null): ReturnResult {
  return { returnRequest, userErrors: [error] };
}

export function done(returnRequest: ReturnRequest): ReturnResult {
  return { returnRequest, userErrors: [] };
}
