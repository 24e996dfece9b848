/** A vault lock's bounds in whole days, as deployed. */
export interface VaultLockDays {
  /** The shortest retention a recovery point in the vault may have. */
  readonly minRetentionDays: number;
  /**
   * The longest retention a recovery point in the vault may have.
   * @default - no maximum
   */
  readonly maxRetentionDays?: number;
  /**
   * Days before a compliance-mode lock becomes immutable.
   * @default - governance mode
   */
  readonly changeableForDays?: number;
}
