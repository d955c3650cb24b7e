import { GraphQLError } from 'graphql';
import { PlatformConfig, callSubgraph } from '@shop/platform';

/** What shipping answered to a hold: whether the shipment will never ship, or the status it left in. */
export interface ShipmentHold { held: boolean; status: 'SHIPPED' | 'DELIVERED' | null }

/**
 * Asks shipping to cancel the order's shipment unless it already left
 * (`holdShipment`, @inaccessible), with the caller's Authorization: shipping
 * checks that the caller is the order's customer or an ADMIN. Null when
 * shipping could not be asked (unreachable, failed); its client errors
 * (FORBIDDEN...) are thrown as they are.
 */
export async function holdShipment(
  config: PlatformConfig, orderId: string, customerId: string, authorization: string | null,
): Promise<ShipmentHold | null> {
  try {
    const data = await callSubgraph<{ holdShipment: ShipmentHold }>(config, 'shipping',
      'mutation($o: ID!, $c: ID!) { holdShipment(orderId: $o, customerId: $c) { held status } }', { o: orderId, c: customerId }, authorization);
    return data.holdShipment;
  } catch (e) {
    if (e instanceof GraphQLError) throw e;
    return null;
  }
}
