import DataLoader from 'dataloader';
import { Money, RATE_SCALE, convert, money } from '@shop/platform';
import { CART_CURRENCY } from '../cart/cart-currency';
import { CartLine } from '../cart-line/cart-line.entity';
import { ProjectedProduct } from '../projection/product.entity';
import { ProjectedRate } from '../projection/exchange-rate.entity';

/** A cart line with the price it has now. */
export interface PricedLine {
  line: CartLine;
  product: ProjectedProduct;
  /** In the cart's currency; in the product's own currency when no known rate converts it (`priced` false). */
  unitPrice: Money;
  priced: boolean;
}

export interface PricedCart {
  lines: PricedLine[];
  /** Sum of the priced lines' totals, in the cart's currency. */
  subtotal: Money;
}

interface PricingSources {
  lines: DataLoader<string, CartLine[]>;
  product: DataLoader<string, ProjectedProduct | null>;
  rate: DataLoader<string, ProjectedRate | null>;
}

/**
 * The product's current price in the cart's currency: converted at the
 * known rate, rounded once half away from zero; null when no rate is known.
 */
export async function cartPriceOf(rates: PricingSources['rate'], product: ProjectedProduct): Promise<Money | null> {
  if (product.priceCurrency === CART_CURRENCY) return money(product.priceAmount, CART_CURRENCY);
  const rate = await rates.load(product.priceCurrency);
  if (!rate) return null;
  return money(convert(product.priceAmount, product.priceCurrency, rate.rateScaled, CART_CURRENCY, RATE_SCALE), CART_CURRENCY);
}

async function priceLine(sources: PricingSources, line: CartLine): Promise<PricedLine> {
  const product = await sources.product.load(line.productId);
  // cart_lines.product_id references products, and projected products are never deleted.
  if (!product) throw new Error(`cart line ${line.id} names product ${line.productId}, which the cart does not know`);
  const converted = await cartPriceOf(sources.rate, product);
  const unitPrice = converted ?? money(product.priceAmount, product.priceCurrency);
  return { line, product, unitPrice, priced: converted !== null };
}

/**
 * Prices carts from the current projections: lines, then their products,
 * then the rates of the products' currencies, each one statement for every
 * cart of the request however many lines they hold.
 */
export function pricingLoader(sources: PricingSources): DataLoader<string, PricedCart> {
  return new DataLoader(async (cartIds) => Promise.all(cartIds.map(async (cartId) => {
    const lines = await Promise.all((await sources.lines.load(cartId)).map((line) => priceLine(sources, line)));
    const amount = lines.filter((l) => l.priced).reduce((sum, l) => sum + l.unitPrice.amount * l.line.quantity, 0);
    return { lines, subtotal: money(amount, CART_CURRENCY) };
  })));
}
