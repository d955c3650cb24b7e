import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { isId, newId, requireRole, validate, z } from '@shop/platform';
import { textSchema } from '../product/product.validation';
import { CatalogContext } from '../context';
import { inputError, invalidInput } from '../errors';
import { freeSlug, slugify } from '../slug/slug';
import { Category } from './category.entity';

const categoryInputSchema = z.object({
  name: textSchema(100).refine((s) => s.length > 0, 'Name is required'),
});

/** A category by id; a malformed id names none and never reaches the database. */
export async function categoryById(ctx: CatalogContext, id: string): Promise<Category | null> {
  return isId(id) ? ctx.loaders.category.load(id) : null;
}

/** Every category, by name (the tree is small; clients build it from parent/children). */
export async function allCategories(ctx: CatalogContext): Promise<Category[]> {
  return ctx.em.find(Category, {}, { orderBy: { name: 'ASC', id: 'ASC' } });
}

/** ADMIN: creates a category with a unique slug generated from its name (suffixed -2, -3... when taken). */
export async function createCategory(ctx: CatalogContext, name: string, parentId?: string | null): Promise<Category> {
  requireRole(ctx.identity, 'ADMIN');
  const checked = validate(categoryInputSchema, { name }, []);
  if (!checked.ok) throw invalidInput(checked.userErrors);
  if (parentId !== null && parentId !== undefined && !(await categoryById(ctx, parentId))) {
    throw inputError('No category has this id', 'parentId', 'CATEGORY_NOT_FOUND');
  }
  const base = slugify(checked.data.name, 'category');
  for (let attempt = 1; ; attempt += 1) {
    const slug = await freeSlug(ctx.em, 'categories', base);
    try {
      return await ctx.em.transactional(async (em) => {
        const category = em.create(Category, { id: newId(), parentId: parentId ?? null, name: checked.data.name, slug, createdAt: new Date() });
        em.persist(category);
        return category;
      });
    } catch (e) {
      // Another writer took the same slug in between: choose again.
      if (!(e instanceof UniqueConstraintViolationException) || attempt >= 3) throw e;
    }
  }
}
