import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { SubgraphContext, groupLoader } from '@shop/platform';
import { Shipment } from './shipment/shipment.entity';
import { TrackingEvent } from './shipment/tracking-event.entity';
import { shipmentByOrderLoader } from './shipment/shipment.loader';

export interface ShippingLoaders {
  /** The shipment of an order by order id; null while it has none. */
  shipmentByOrder: DataLoader<string, Shipment | null>;
  /** A shipment's tracking events by shipment id, oldest first. */
  trackingEvents: DataLoader<string, TrackingEvent[]>;
}

export type ShippingContext = SubgraphContext<ShippingLoaders>;

export function createLoaders(em: EntityManager): ShippingLoaders {
  return {
    shipmentByOrder: shipmentByOrderLoader(em),
    trackingEvents: groupLoader(em, TrackingEvent, 'shipmentId', { at: 'ASC', id: 'ASC' }),
  };
}
