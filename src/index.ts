export * from './audited-vault';
export * from './compliance/vault-lock-days';
