export * from './organization-options';
export * from './organization-backup-policy';
