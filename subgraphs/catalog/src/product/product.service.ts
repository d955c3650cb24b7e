import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { badInput, isId, newId, recordEvent, requireRole } from '@shop/platform';
import { CatalogContext } from '../context';
import { inputError, notFound } from '../errors';
import { SLUG_MAX, SLUG_PATTERN, freeSlug, slugify } from '../slug/slug';
import { Product } from './product.entity';
import { ProductCopies, ProductView } from './product-view';
import { productEventData } from './product.events';
import { checkProductInput } from './product-input';

const slugTaken = () => inputError('This slug is already used by another product', 'input.slug', 'SLUG_TAKEN');

/** A product by id; a malformed id names no product and never reaches the database. */
export async function productById(ctx: CatalogContext, id: string): Promise<Product | null> {
  return isId(id) ? ctx.loaders.product.load(id) : null;
}

/**
 * A figure of the product's copies of stock and rating: at once when they
 * were read with it (a listing's page answers without a promise per field),
 * else loaded, one statement per tick, for a product just written.
 */
export function fromCopies<T>(ctx: CatalogContext, product: ProductView, pick: (copies: ProductCopies) => T): T | Promise<T> {
  return product.copies ? pick(product.copies) : ctx.loaders.copies.load(product.id).then(pick);
}

/** One product by exactly one of id or slug. */
export async function findProduct(ctx: CatalogContext, id?: string | null, slug?: string | null): Promise<Product | null> {
  if ((id === null || id === undefined) === (slug === null || slug === undefined)) {
    throw badInput('Give exactly one of `id` or `slug`');
  }
  if (id !== null && id !== undefined) return productById(ctx, id);
  return slug!.length <= SLUG_MAX && SLUG_PATTERN.test(slug!) ? ctx.loaders.productBySlug.load(slug!) : null;
}

/** ADMIN: creates a product and records catalog.product.created in the same transaction. */
export async function createProduct(ctx: CatalogContext, input: unknown): Promise<Product> {
  requireRole(ctx.identity, 'ADMIN');
  const data = await checkProductInput(ctx, input);
  if (data.slug && (await ctx.em.count(Product, { slug: data.slug }))) throw slugTaken();
  const base = slugify(data.name, 'product');
  let slug = data.slug ?? await freeSlug(ctx.em, 'products', base);
  for (let attempt = 1; ; attempt += 1) {
    try {
      const product = await ctx.em.transactional(async (em) => {
        const now = new Date();
        const created = em.create(Product, {
          id: newId(), slug, name: data.name, description: data.description ?? '', categoryId: data.categoryId ?? null,
          priceAmount: data.price, priceCurrency: data.currency, createdAt: now, updatedAt: now,
        });
        em.persist(created);
        recordEvent(em, 'catalog.product.created', productEventData(created));
        return created;
      });
      ctx.eventsRecorded();
      return product;
    } catch (e) {
      // Another writer took the slug in between: an explicit slug is refused, a generated one is chosen again.
      if (!(e instanceof UniqueConstraintViolationException)) throw e;
      if (data.slug || attempt >= 3) throw slugTaken();
      slug = await freeSlug(ctx.em, 'products', base);
    }
  }
}

/**
 * ADMIN: replaces a product's fields with `input` (an omitted slug,
 * description or categoryId keeps the current value) and records
 * catalog.product.updated in the same transaction.
 */
export async function updateProduct(ctx: CatalogContext, id: string, input: unknown): Promise<Product> {
  requireRole(ctx.identity, 'ADMIN');
  if (!isId(id)) throw notFound('No product has this id');
  const data = await checkProductInput(ctx, input);
  if (data.slug && (await ctx.em.count(Product, { slug: data.slug, id: { $ne: id } }))) throw slugTaken();
  try {
    const product = await ctx.em.transactional(async (em) => {
      const found = await em.findOne(Product, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!found) throw notFound('No product has this id');
      em.assign(found, {
        name: data.name,
        slug: data.slug ?? found.slug,
        description: data.description === undefined ? found.description : (data.description ?? ''),
        categoryId: data.categoryId === undefined ? found.categoryId : data.categoryId,
        priceAmount: data.price,
        priceCurrency: data.currency,
        updatedAt: new Date(),
      });
      recordEvent(em, 'catalog.product.updated', productEventData(found));
      return found;
    });
    ctx.eventsRecorded();
    return product;
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) throw slugTaken();
    throw e;
  }
}
