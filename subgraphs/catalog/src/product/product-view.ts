import { Product } from './product.entity';
import { StockCopy } from '../stock/stock-copy';
import { RatingCopy } from '../rating/rating-copy';

/** What catalog holds of other subgraphs' figures for one product, read with it. */
export interface ProductCopies { stock: StockCopy; rating: RatingCopy }

/** A product as resolvers receive it: read rows carry their copies; an entity just written does not (they load on demand). */
export type ProductView = Product & { copies?: ProductCopies };
