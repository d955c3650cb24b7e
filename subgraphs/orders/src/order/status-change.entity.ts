import { EntitySchema } from '@mikro-orm/postgresql';
import { OrderStatus } from './order.entity';

/** One transition of an order's status, with when and why. */
export class StatusChange {
  id!: string;
  orderId!: string;
  status!: OrderStatus;
  reason?: string | null;
  at!: Date;
}

export const StatusChangeSchema = new EntitySchema<StatusChange>({
  class: StatusChange,
  tableName: 'order_status_changes',
  properties: {
    id: { type: 'uuid', primary: true },
    orderId: { type: 'uuid' },
    status: { type: 'string' },
    reason: { type: 'string', nullable: true },
    at: { type: 'datetime' },
  },
});
