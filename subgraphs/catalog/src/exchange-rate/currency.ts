import { isCurrency } from '@shop/platform';
import { inputError } from '../errors';

/** An ISO 4217 code as given (surrounding blanks and lower case forgiven), or BAD_USER_INPUT naming `field`. */
export function parseCurrency(value: string, field: string): string {
  const code = value.trim().toUpperCase();
  if (!isCurrency(code)) throw inputError('Use an ISO 4217 currency code, e.g. EUR', field, 'INVALID_CURRENCY');
  return code;
}
