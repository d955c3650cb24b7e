import { runSubgraphProcess } from '@shop/platform';
import { returns } from './definition';

runSubgraphProcess(returns);
