import { runSubgraphProcess } from '@shop/platform';
import { catalog } from './definition';

runSubgraphProcess(catalog);
