/**
 * Small readers the alert formatter applies to event fields and ARNs: every field may be
 * missing or of the wrong type, so each returns undefined rather than throwing.
 */

// Last path segment of an ARN, e.g. `vol-0abc` or `db:prod-db` → `prod-db`.
export function shortResourceId(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const last = resource.split(/[/:]/).filter(Boolean).pop();
  return last ?? arn;
}

export function isResourceArnCandidate(arn: string): boolean {
  return typeof arn === 'string' && arn.startsWith('arn:') && !/^arn:[^:]+:backup:/.test(arn);
}

export function regionFromArn(arn: string | undefined): string | undefined {
  const region = arn?.split(':')[3];
  return region ? region : undefined;
}

export function accountFromArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account ? account : undefined;
}

export function isoTime(value: unknown): string | undefined {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  }
  if (typeof value === 'string' && value !== '') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? value : d.toISOString();
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    // AWS Backup timestamps in JSON are epoch seconds.
    return new Date(value * 1000).toISOString();
  }
  return undefined;
}

export function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}... (${s.length - max} more characters)` : s;
}

export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value.trim() === '' ? undefined : value;
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
