import { EntitySchema } from '@mikro-orm/postgresql';

/** What a customer who received a product wrote about it; never edited once written. */
export class Review {
  id!: string;
  productId!: string;
  authorId!: string;
  /** 1 to 5. */
  rating!: number;
  /** Trimmed, 1 to 2000 characters. */
  body!: string;
  createdAt!: Date;
}

export const ReviewSchema = new EntitySchema<Review>({
  class: Review,
  tableName: 'reviews',
  properties: {
    id: { type: 'uuid', primary: true },
    productId: { type: 'uuid' },
    authorId: { type: 'uuid' },
    rating: { type: 'smallint' },
    body: { type: 'text' },
    createdAt: { type: 'datetime' },
  },
});

/** A reviews row as the database returns it (snake_case), as a plain Review outside any unit of work. */
export function reviewFromRow(row: Record<string, any>): Review {
  return Object.assign(new Review(), {
    id: row.id, productId: row.product_id, authorId: row.author_id, rating: Number(row.rating), body: row.body, createdAt: new Date(row.created_at),
  });
}
