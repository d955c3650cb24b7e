import { ProductEventData } from '@shop/platform';
import { Product } from './product.entity';

/** The payload of catalog.product.created and catalog.product.updated. */
export function productEventData(product: Product): ProductEventData {
  return {
    productId: product.id,
    slug: product.slug,
    name: product.name,
    price: { amount: product.priceAmount, currency: product.priceCurrency },
    categoryId: product.categoryId ?? null,
  };
}
