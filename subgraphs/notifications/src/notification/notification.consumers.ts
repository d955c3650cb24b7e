import { ConsumerSpec, EventType, money, z } from '@shop/platform';
import { ChannelPool } from '../channel/channel-pool';
import { TemplateRenderer } from '../template/templates';
import { Planned, notify } from './notify.service';
import {
  orderCancelledSchema, orderConfirmedSchema, orderDeliveredSchema, returnRefundedSchema, returnRejectedSchema, shipmentShippedSchema,
} from './event.validation';

interface MailRule<S extends z.ZodType> {
  name: string;
  type: EventType;
  schema: S;
  plan(data: z.infer<S>, returnWindowDays: number): Planned;
}

const rule = <S extends z.ZodType>(r: MailRule<S>) => r;

/** Which event sends which template to whom, with what. */
const RULES = [
  rule({
    name: 'notifications-order-confirmed', type: 'orders.order.confirmed', schema: orderConfirmedSchema,
    plan: (d) => ({ userId: d.customerId, template: 'order-confirmed', data: { number: d.number, total: money(d.total, d.currency), lines: d.lines } }),
  }),
  rule({
    name: 'notifications-order-cancelled', type: 'orders.order.cancelled', schema: orderCancelledSchema,
    plan: (d) => ({ userId: d.customerId, template: 'order-cancelled', data: { number: d.number ?? null, reason: d.reason } }),
  }),
  rule({
    name: 'notifications-shipment-shipped', type: 'shipping.shipment.shipped', schema: shipmentShippedSchema,
    plan: (d) => ({ userId: d.customerId, template: 'order-shipped', data: { orderNumber: d.orderNumber, carrier: d.carrier, trackingNumber: d.trackingNumber } }),
  }),
  rule({
    name: 'notifications-order-delivered', type: 'orders.order.delivered', schema: orderDeliveredSchema,
    plan: (d, returnWindowDays) => ({
      userId: d.customerId, template: 'order-delivered', data: { number: d.number, total: money(d.total, d.currency), returnWindowDays },
    }),
  }),
  rule({
    name: 'notifications-return-refunded', type: 'returns.return.refunded', schema: returnRefundedSchema,
    plan: (d) => ({ userId: d.customerId, template: 'return-refunded', data: { orderNumber: d.orderNumber, amount: d.amount } }),
  }),
  rule({
    name: 'notifications-return-rejected', type: 'returns.return.rejected', schema: returnRejectedSchema,
    plan: (d) => ({ userId: d.customerId, template: 'return-rejected', data: { orderNumber: d.orderNumber, reason: d.reason } }),
  }),
];

/** One durable consumer per event of an order's or a return's life that the customer hears about. */
export function orderMailConsumers(pool: ChannelPool, renderer: TemplateRenderer): ConsumerSpec[] {
  return RULES.map((r: MailRule<z.ZodType>): ConsumerSpec => ({
    name: r.name,
    type: r.type,
    // The claim on (event, recipient, channel) is the inbox: no transaction holds a connection while a mail is sent.
    idempotentByItself: true,
    async handle(em, event, { config, log }) {
      const parsed = r.schema.safeParse(event.data);
      // A payload without what the mail needs would fail every redelivery; there is nothing to send.
      if (!parsed.success) {
        log.error({ eventId: event.id, type: event.type, issues: parsed.error.issues }, 'dropping a malformed event');
        return;
      }
      await notify({ em, log, channels: pool.channelsFor(config), renderer }, event, r.plan(parsed.data, config.returnWindowDays));
    },
  }));
}
