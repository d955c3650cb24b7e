export { startGateway } from './server';
export type { RunningGateway, GatewayOptions } from './server';
