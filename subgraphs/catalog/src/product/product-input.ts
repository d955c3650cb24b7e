import { isId, validate } from '@shop/platform';
import { CatalogContext } from '../context';
import { inputError, invalidInput } from '../errors';
import { parseCurrency } from '../exchange-rate/currency';
import { ProductInputData, productInputSchema } from './product.validation';

/**
 * Validates a ProductInput and checks that its category exists; BAD_USER_INPUT
 * naming the field otherwise. An optional field left `undefined` was not
 * given (update keeps the current value); `null` was given as null.
 */
export async function checkProductInput(ctx: CatalogContext, input: unknown): Promise<ProductInputData> {
  const checked = validate(productInputSchema, input);
  if (!checked.ok) throw invalidInput(checked.userErrors);
  const data = { ...checked.data, currency: parseCurrency(checked.data.currency, 'input.currency') };
  if (data.categoryId !== null && data.categoryId !== undefined) {
    const category = isId(data.categoryId) ? await ctx.loaders.category.load(data.categoryId) : null;
    if (!category) throw inputError('No category has this id', 'input.categoryId', 'CATEGORY_NOT_FOUND');
  }
  return data;
}
