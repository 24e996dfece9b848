/**
 * The restore validator's configuration from its environment (pure). Optional knobs with a bad
 * value fall back to their default, with a warning: a typo must not stop restore validation.
 *
 * - TABLE_NAME (optional): the catalog table (shared/catalog-schema.ts); unset: no catalog write.
 * - VALIDATION_WAIT_SECONDS (optional, default 120, 0 = check once): longest wait for a resource
 *   that is still becoming available.
 * - VALIDATION_POLL_SECONDS (optional, default 10): pause between two checks while waiting.
 * - ALLOW_EMPTY_S3, ALLOW_EMPTY_DYNAMODB (optional, `true` to enable): an empty restored bucket
 *   or table is SUCCESSFUL instead of FAILED.
 * - MALWARE_SCAN_RULES (optional): JSON list of `{plan?, rule, resourceTypes}`, the tiers whose
 *   recovery points must have a malware scan (./scan.ts). Written by the construct: a bad value
 *   is thrown, since ignoring it would pass recovery points that should have been scanned.
 */
import { parseScanRules, type MalwareScanRule } from './scan';
import { flag, intOrDefault, type Env } from '../shared/env';

export const DEFAULT_WAIT_SECONDS = 120;
export const DEFAULT_POLL_SECONDS = 10;

export interface ValidatorConfig {
  readonly tableName?: string;
  readonly waitMs: number;
  readonly pollIntervalMs: number;
  readonly allowEmptyS3: boolean;
  readonly allowEmptyDynamoDb: boolean;
  /** Tiers whose recovery points must have a malware scan; unset when none does. */
  readonly scanRules?: readonly MalwareScanRule[];
}

export function parseValidatorConfig(env: Env, warn: (message: string, attributes: Record<string, unknown>) => void): ValidatorConfig {
  return {
    tableName: env.TABLE_NAME?.trim() || undefined,
    waitMs: intOrDefault(env, 'VALIDATION_WAIT_SECONDS', DEFAULT_WAIT_SECONDS, 0, warn) * 1000,
    pollIntervalMs: intOrDefault(env, 'VALIDATION_POLL_SECONDS', DEFAULT_POLL_SECONDS, 1, warn) * 1000,
    allowEmptyS3: flag(env, 'ALLOW_EMPTY_S3'),
    allowEmptyDynamoDb: flag(env, 'ALLOW_EMPTY_DYNAMODB'),
    scanRules: scanRulesOrUndefined(parseScanRules(env.MALWARE_SCAN_RULES)),
  };
}

function scanRulesOrUndefined(rules: MalwareScanRule[]): MalwareScanRule[] | undefined {
  return rules.length > 0 ? rules : undefined;
}
