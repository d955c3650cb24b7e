import { EntitySchema } from '@mikro-orm/postgresql';

/** What clients see (the GraphQL ShipmentStatus). */
export type ShipmentStatus = 'PENDING' | 'SHIPPED' | 'DELIVERED';

/**
 * CANCELLED is internal: the order was cancelled before it shipped, and the
 * shipment must never ship. Clients see no cancelled shipment
 * (Order.shipment is null); the order's own status says CANCELLED.
 */
export type ShipmentState = ShipmentStatus | 'CANCELLED';

/**
 * The one shipment of an order, created PENDING from orders.order.confirmed.
 * A cancellation (or a hold) that overtook the confirmation leaves a
 * CANCELLED row without a number (a tombstone), so the late confirmation
 * creates nothing.
 */
export class Shipment {
  id!: string;
  orderId!: string;
  /** The order's number (SO-000123), from the confirmation; null on a tombstone. */
  orderNumber!: string | null;
  /** The order's customer: who may read the shipment besides ADMINs and PARTNERs. */
  customerId!: string;
  /**
   * Whether an event of orders (confirmed, cancelled) vouched for
   * `customerId`. Only a hold that overtook both leaves it false: the
   * customer is then the caller's own claim, which the confirmation checks.
   */
  customerVerified!: boolean;
  status!: ShipmentState;
  carrier!: string | null;
  trackingNumber!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
  shippedAt!: Date | null;
  deliveredAt!: Date | null;
}

/** A shipment clients may see. */
export type VisibleShipment = Shipment & { status: ShipmentStatus };

export function isVisible(shipment: Shipment): shipment is VisibleShipment {
  return shipment.status !== 'CANCELLED';
}

export const ShipmentSchema = new EntitySchema<Shipment>({
  class: Shipment,
  tableName: 'shipments',
  properties: {
    id: { type: 'uuid', primary: true },
    orderId: { type: 'uuid', unique: true },
    orderNumber: { type: 'string', nullable: true },
    customerId: { type: 'uuid' },
    customerVerified: { type: 'boolean' },
    status: { type: 'string' },
    carrier: { type: 'string', nullable: true },
    trackingNumber: { type: 'string', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    shippedAt: { type: 'datetime', nullable: true },
    deliveredAt: { type: 'datetime', nullable: true },
  },
});
