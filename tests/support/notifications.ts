import {
  OrderCancelledData, OrderConfirmedData, OrderDeliveredData, ReturnRefundedData, ReturnRejectedData, ShipmentShippedData,
  newId,
} from '@shop/platform';
import { mintAccessToken } from './tokens';
import { Stack } from './stack';
import { ReceivedMail } from '../../scripts/mail/local-smtp-server';

export const NOTIFICATIONS = `query($first: Int) { notifications(first: $first) { id channel template subject body sentAt } }`;
export const PREFERENCES = `query { notificationPreferences { orderEmails } }`;
export const SET_PREFERENCES = `mutation($on: Boolean!) { setNotificationPreferences(orderEmails: $on) { orderEmails } }`;

/** Mails the stack's SMTP server received for one address. */
export function mailsTo(stack: Stack, email: string): ReceivedMail[] {
  return stack.mail.messages.filter((m) => m.to.includes(email.toLowerCase()));
}

/** The first mail to `email` whose subject contains `subject` (waits for it). */
export function mailTo(stack: Stack, email: string, subject: string): Promise<ReceivedMail> {
  return stack.mail.waitFor((m) => m.to.includes(email.toLowerCase()) && m.subject.includes(subject));
}

/** A CUSTOMER token for a user id accounts never saw (to arrange users notifications learns of by synthetic events). */
export function tokenFor(stack: Stack, userId: string): Promise<string> {
  return mintAccessToken(stack.config, { userId, role: 'CUSTOMER' });
}

const line = { lineId: newId(), productId: newId(), name: 'Blue mug', quantity: 2, unitPrice: { amount: 1250, currency: 'EUR' } };

export const confirmed = (customerId: string, number: string, total = 4199): OrderConfirmedData => ({
  orderId: newId(), number, customerId, cartId: newId(), couponCode: null, lines: [line], currency: 'EUR', total,
});

export const cancelled = (customerId: string, number: string, reason: string): OrderCancelledData => ({
  orderId: newId(), number, customerId, reason, previousStatus: 'PENDING', couponCode: null, lines: [line],
});

export const shipped = (customerId: string, orderNumber: string, carrier: string, trackingNumber: string): ShipmentShippedData => ({
  shipmentId: newId(), orderId: newId(), orderNumber, customerId, carrier, trackingNumber, at: new Date().toISOString(),
});

export const delivered = (customerId: string, number: string, total = 4199): OrderDeliveredData => ({
  orderId: newId(), number, customerId, lines: [line], currency: 'EUR', subtotal: total, discount: 0, shippingTotal: 0, total,
  deliveredAt: new Date().toISOString(),
});

export const refunded = (customerId: string, orderNumber: string, amount: { amount: number; currency: string }): ReturnRefundedData => ({
  returnId: newId(), orderId: newId(), orderNumber, customerId, amount, allLinesReturned: false, openReturns: 0,
});

export const rejected = (customerId: string, orderNumber: string, reason: string): ReturnRejectedData => ({
  returnId: newId(), orderId: newId(), orderNumber, customerId, reason, openReturns: 0,
});
