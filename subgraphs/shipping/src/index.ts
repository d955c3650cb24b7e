export { shipping } from './definition';
export { SHIPPING_METHOD_IDS } from './migrations/Migration20261122080000Shipping';
