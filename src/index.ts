export * from './audited-vault';
export * from './compliance/vault-lock-days';
export * from './compliance/compliance-profile';
export * from './backup-system/backup-tier';
export * from './backup-system/audit-options';
export * from './backup-system';
export * from './backup-system/restore-testing-options';
export * from './backup-system/landing-storage-options';
