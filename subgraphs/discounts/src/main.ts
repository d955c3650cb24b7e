import { runSubgraphProcess } from '@shop/platform';
import { discounts } from './definition';

runSubgraphProcess(discounts);
