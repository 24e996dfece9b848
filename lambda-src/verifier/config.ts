/**
 * The verifier's configuration from its environment (pure): TABLE_NAME and ALARM_TOPIC_ARN
 * (required), TENANTS (optional, comma-separated tenant ids).
 */
import { splitList, type Env } from '../shared/env';

export interface VerifierConfig {
  readonly tableName: string;
  readonly alarmTopicArn: string;
  readonly tenants: readonly string[];
}

export function parseVerifierConfig(env: Env): VerifierConfig {
  const tableName = env.TABLE_NAME;
  const alarmTopicArn = env.ALARM_TOPIC_ARN;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  if (!alarmTopicArn) throw new Error('ALARM_TOPIC_ARN is not set');
  return { tableName, alarmTopicArn, tenants: parseTenants(env.TENANTS) };
}

/** TENANTS: comma-separated tenant ids, blanks dropped. */
export function parseTenants(value: string | undefined): string[] {
  return splitList(value);
}
