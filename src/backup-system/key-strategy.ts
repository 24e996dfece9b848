/**
 * How many customer-managed KMS keys a `CompliantBackupSystem` creates. Every key is a
 * customer-managed key with rotation, retained; each costs $1 a month.
 */
export enum KeyStrategy {
  /**
   * One key for everything the system encrypts: the primary vault's recovery points, the
   * alarm topic, the catalog, audit reports, landing storage and the handlers' logs and
   * dead letters. Fewest keys; anyone allowed to use the key can decrypt all of it.
   */
  SHARED = 'SHARED',
  /**
   * A key per purpose: vault, alerts, alarm topic, catalog, reports, landing data, landing
   * pipeline, restore testing. Each can be granted, audited and, if ever needed, disabled
   * on its own.
   */
  PER_PURPOSE = 'PER_PURPOSE',
}
