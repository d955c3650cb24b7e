import { runSubgraphProcess } from '@shop/platform';
import { orders } from './definition';

runSubgraphProcess(orders);
