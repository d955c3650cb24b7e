import { runSubgraphProcess } from '@shop/platform';
import { shipping } from './definition';

runSubgraphProcess(shipping);
