import { runSubgraphProcess } from '@shop/platform';
import { cart } from './definition';

runSubgraphProcess(cart);
