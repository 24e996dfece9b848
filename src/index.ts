export * from './audited-vault';
export { VaultLockDays } from './compliance/rules';
