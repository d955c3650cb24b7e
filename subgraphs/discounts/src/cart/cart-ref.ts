import { Money } from '@shop/platform';

/** A cart as the gateway hands it to discounts: its id and, for discount and total, the fields they @require. */
export interface CartRef {
  id: string;
  subtotal?: Money | null;
  couponCode?: string | null;
}
