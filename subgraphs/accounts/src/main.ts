import { runSubgraphProcess } from '@shop/platform';
import { accounts } from './definition';

runSubgraphProcess(accounts);
