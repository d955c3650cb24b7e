export { discounts } from './definition';
export { claimSweeperJob, releaseAbandonedClaims } from './redemption/claim-sweeper';
