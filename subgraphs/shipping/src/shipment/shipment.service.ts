import { forbidden, recordEvent, refused, requireRole, requireViewer } from '@shop/platform';
import { ShippingContext } from '../context';
import { Shipment, VisibleShipment, isVisible } from './shipment.entity';
import { insertShipment, lockShipment, track } from './shipment.repository';
import { newTrackingNumber } from './tracking-number';
import { parseCarrier, parseId } from './shipment.validation';

const notShippable = () => refused('ORDER_NOT_SHIPPABLE', 'This order cannot ship: it is cancelled, or not confirmed yet');

/** Numbers and customers are set on every shipment that can ship (only tombstones lack a number, and they never ship). */
function eventBase(shipment: Shipment) {
  return { shipmentId: shipment.id, orderId: shipment.orderId, orderNumber: shipment.orderNumber ?? '', customerId: shipment.customerId };
}

/**
 * ADMIN: hands the order's PENDING shipment to a carrier. The row lock makes
 * a second call (or a concurrent one) wait and find it SHIPPED: the same
 * shipment comes back and nothing is published twice.
 */
export async function shipOrder(ctx: ShippingContext, orderIdInput: string, carrierInput: string): Promise<VisibleShipment> {
  requireRole(ctx.identity, 'ADMIN');
  const orderId = parseId(orderIdInput, 'orderId');
  const carrier = parseCarrier(carrierInput);
  const { shipment, shipped } = await ctx.em.transactional(async (em) => {
    const found = await lockShipment(em, orderId);
    if (!found || !isVisible(found)) throw notShippable();
    if (found.status !== 'PENDING') return { shipment: found, shipped: false };
    const at = new Date();
    Object.assign(found, { status: 'SHIPPED', carrier, trackingNumber: newTrackingNumber(), shippedAt: at, updatedAt: at });
    track(em, found, 'SHIPPED', `Handed to ${carrier}, tracking number ${found.trackingNumber}`, at);
    recordEvent(em, 'shipping.shipment.shipped', {
      ...eventBase(found), carrier, trackingNumber: found.trackingNumber!, at: at.toISOString(),
    });
    return { shipment: found, shipped: true };
  });
  if (shipped) ctx.eventsRecorded();
  return shipment;
}

/** ADMIN or PARTNER (the carrier): the parcel reached the customer. */
export async function markDelivered(ctx: ShippingContext, orderIdInput: string): Promise<VisibleShipment> {
  requireRole(ctx.identity, 'ADMIN', 'PARTNER');
  const orderId = parseId(orderIdInput, 'orderId');
  const { shipment, delivered } = await ctx.em.transactional(async (em) => {
    const found = await lockShipment(em, orderId);
    if (!found || !isVisible(found)) throw notShippable();
    if (found.status === 'PENDING') throw refused('SHIPMENT_NOT_SHIPPED', 'This order has not shipped yet: ship it before marking it delivered');
    if (found.status === 'DELIVERED') return { shipment: found, delivered: false };
    const at = new Date();
    Object.assign(found, { status: 'DELIVERED', deliveredAt: at, updatedAt: at });
    track(em, found, 'DELIVERED', `Delivered by ${found.carrier}`, at);
    recordEvent(em, 'shipping.shipment.delivered', { ...eventBase(found), at: at.toISOString() });
    return { shipment: found, delivered: true };
  });
  if (delivered) ctx.eventsRecorded();
  return shipment;
}

export interface ShipmentHold { held: boolean; status: 'SHIPPED' | 'DELIVERED' | null }

/**
 * For orders cancelling a CONFIRMED order: cancels the shipment unless it
 * left already. Without a shipment yet (the confirmation is on its way) a
 * cancelled one is recorded, so the late confirmation creates none.
 */
export async function holdShipment(ctx: ShippingContext, orderIdInput: string, customerIdInput: string): Promise<ShipmentHold> {
  const viewer = requireViewer(ctx.identity);
  const orderId = parseId(orderIdInput, 'orderId');
  const customerId = parseId(customerIdInput, 'customerId');
  const admin = viewer.role === 'ADMIN';
  if (!admin && customerId !== viewer.userId) throw forbidden("Only the order's customer and ADMINs may cancel its shipment");
  return ctx.em.transactional(async (em): Promise<ShipmentHold> => {
    const { shipment } = await insertShipment(em, { orderId, orderNumber: null, customerId, customerVerified: false, status: 'CANCELLED' });
    if (!shipment.customerVerified) {
      // A tombstone orders has not vouched for yet: the latest claim names the customer its confirmation will check.
      shipment.customerId = customerId;
      return { held: true, status: null };
    }
    if (!admin && shipment.customerId !== viewer.userId) throw forbidden("Only the order's customer and ADMINs may cancel its shipment");
    if (shipment.status === 'SHIPPED' || shipment.status === 'DELIVERED') return { held: false, status: shipment.status };
    if (shipment.status === 'PENDING') {
      shipment.status = 'CANCELLED';
      shipment.updatedAt = new Date();
    }
    return { held: true, status: null };
  });
}
