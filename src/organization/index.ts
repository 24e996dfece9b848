export * from './organization-options';
export * from './organization-backup-policy';
export * from './organization-backup-policy-props';
export * from './recovery-vault';
export * from './approval-team';
export * from './recovery-restore-testing';
