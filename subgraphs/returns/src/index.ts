export { returns } from './definition';
