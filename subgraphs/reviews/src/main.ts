import { runSubgraphProcess } from '@shop/platform';
import { reviews } from './definition';

runSubgraphProcess(reviews);
