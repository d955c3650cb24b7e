import { runSubgraphProcess } from '@shop/platform';
import { inventory } from './definition';

runSubgraphProcess(inventory);
