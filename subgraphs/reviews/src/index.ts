export { reviews } from './definition';
