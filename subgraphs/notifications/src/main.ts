import { runSubgraphProcess } from '@shop/platform';
import { notifications } from './definition';

runSubgraphProcess(notifications);
