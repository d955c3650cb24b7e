import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { SubgraphContext } from '@shop/platform';
import { ProductRating } from './rating/product-rating.entity';
import { productRatingLoader } from './rating/product-rating.loader';
import { Review } from './review/review.entity';
import { ReviewPageKey, reviewPageLoader } from './review/review-page.loader';

export interface ReviewsLoaders {
  /** A product's running rating (count and sum); null without reviews. */
  rating: DataLoader<string, ProductRating | null>;
  /** A page of a product's reviews, newest first. */
  reviewPage: DataLoader<ReviewPageKey, Review[], string>;
}

export type ReviewsContext = SubgraphContext<ReviewsLoaders>;

/** Request-scoped loaders: every Product field reads through them, one statement per tick for any number of products. */
export function createLoaders(em: EntityManager): ReviewsLoaders {
  return { rating: productRatingLoader(em), reviewPage: reviewPageLoader(em) };
}
