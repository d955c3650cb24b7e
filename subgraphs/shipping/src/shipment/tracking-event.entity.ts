import { EntitySchema } from '@mikro-orm/postgresql';
import { ShipmentStatus } from './shipment.entity';

/** One step of a shipment's journey, appended with every status it enters. */
export class TrackingEvent {
  id!: string;
  shipmentId!: string;
  status!: ShipmentStatus;
  note!: string | null;
  at!: Date;
}

export const TrackingEventSchema = new EntitySchema<TrackingEvent>({
  class: TrackingEvent,
  tableName: 'tracking_events',
  properties: {
    id: { type: 'uuid', primary: true },
    shipmentId: { type: 'uuid' },
    status: { type: 'string' },
    note: { type: 'text', nullable: true },
    at: { type: 'datetime' },
  },
});
