import { runSubgraphProcess } from '@shop/platform';
import { payments } from './definition';

runSubgraphProcess(payments);
