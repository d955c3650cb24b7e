import { z } from '@shop/platform';
import { MAX_ON_HAND } from './movement.service';

/** A count of units on hand, as an admin may set it. */
export const onHandSchema = z.number()
  .int('onHand must be a whole number of units')
  .min(0, 'onHand may not be negative')
  .max(MAX_ON_HAND, `onHand may be at most ${MAX_ON_HAND}`);
