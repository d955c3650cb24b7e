export { orders } from './definition';
