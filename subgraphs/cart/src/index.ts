export { cart } from './definition';
