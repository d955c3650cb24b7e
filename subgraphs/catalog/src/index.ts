export { catalog } from './definition';
