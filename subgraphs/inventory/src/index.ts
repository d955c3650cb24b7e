export { inventory } from './definition';
