export { accounts, createAccounts } from './definition';
export { passwordVerifications } from './session/password';
export { ensureUser } from './user/user.seed';
