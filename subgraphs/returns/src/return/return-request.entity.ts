import { EntitySchema } from '@mikro-orm/postgresql';

export type ReturnStatus = 'REQUESTED' | 'APPROVED' | 'REJECTED' | 'REFUNDED';

/**
 * A customer's request to send back lines of a delivered order. Amounts are
 * minor units of the order's currency; `refundAmount` is set on approval,
 * `refundedAmount` when payments reports the refund.
 */
export class ReturnRequest {
  id!: string;
  orderId!: string;
  customerId!: string;
  status!: ReturnStatus;
  reason!: string;
  rejectionReason!: string | null;
  refundAmount!: number | null;
  refundedAmount!: number | null;
  createdAt!: Date;
  decidedAt!: Date | null;
  refundedAt!: Date | null;
  restockedAt!: Date | null;
}

export const ReturnRequestSchema = new EntitySchema<ReturnRequest>({
  class: ReturnRequest,
  tableName: 'return_requests',
  properties: {
    id: { type: 'uuid', primary: true },
    orderId: { type: 'uuid' },
    customerId: { type: 'uuid' },
    status: { type: 'string' },
    reason: { type: 'text' },
    rejectionReason: { type: 'text', nullable: true },
    refundAmount: { type: 'integer', nullable: true },
    refundedAmount: { type: 'integer', nullable: true },
    createdAt: { type: 'datetime' },
    decidedAt: { type: 'datetime', nullable: true },
    refundedAt: { type: 'datetime', nullable: true },
    restockedAt: { type: 'datetime', nullable: true },
  },
});

/** One order line in a return; `active` until the return is rejected. */
export class ReturnLine {
  returnId!: string;
  lineId!: string;
  active!: boolean;
}

export const ReturnLineSchema = new EntitySchema<ReturnLine>({
  class: ReturnLine,
  tableName: 'return_lines',
  properties: {
    returnId: { type: 'uuid', primary: true },
    lineId: { type: 'uuid', primary: true },
    active: { type: 'boolean' },
  },
});
