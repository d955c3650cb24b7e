import { EntitySchema } from '@mikro-orm/postgresql';

/** A node of the category tree; roots have no parent. Parents never change, so the tree has no cycles. */
export class Category {
  id!: string;
  parentId?: string | null;
  name!: string;
  slug!: string;
  createdAt!: Date;
}

export const CategorySchema = new EntitySchema<Category>({
  class: Category,
  tableName: 'categories',
  properties: {
    id: { type: 'uuid', primary: true },
    parentId: { type: 'uuid', nullable: true },
    name: { type: 'string' },
    slug: { type: 'string', unique: true },
    createdAt: { type: 'datetime' },
  },
});
