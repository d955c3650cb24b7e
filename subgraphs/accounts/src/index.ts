export { accounts } from './definition';
export { ensureUser } from './user/user.seed';
