/**
 * Reading handler configuration from environment variables.
 *
 * The parsers that take `problems` collect every problem instead of throwing at the first, so a
 * handler can report all of them in one error; each message names the variable, the value
 * received and what is expected.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// CloudWatch namespaces: 1-255 of letters, digits and . - _ / # : and not the reserved AWS/ prefix.
const NAMESPACE_PATTERN = /^[0-9A-Za-z.\-_/#:]{1,255}$/;

/** An AWS region name; `required`: unset is a problem, else unset is undefined. */
export function region(env: Env, name: string, problems: string[], required: boolean): string | undefined {
  const value = env[name]?.trim();
  if (!value) {
    if (required) problems.push(`${name} is required (an AWS region such as "eu-central-1") but is not set`);
    return undefined;
  }
  if (!REGION_PATTERN.test(value)) {
    problems.push(`${name} must be an AWS region such as "eu-central-1", got "${value}"`);
    return undefined;
  }
  return value;
}

/** A positive integer; unset is `fallback`, or a problem (naming `expected`) when there is none. */
export function positiveInt(
  env: Env,
  name: string,
  problems: string[],
  fallback: number | undefined,
  expected = 'a positive whole number',
): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) {
    if (fallback === undefined) problems.push(`${name} is required (${expected}) but is not set`);
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    problems.push(`${name} must be a positive whole number, got "${raw}"`);
    return undefined;
  }
  return n;
}

/** A JSON array; unset or empty is undefined. */
export function jsonArray(env: Env, name: string, problems: string[]): unknown[] | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    problems.push(`${name} is not valid JSON (${(err as Error).message}); got ${truncate(raw)}`);
    return undefined;
  }
  if (!Array.isArray(parsed)) {
    problems.push(`${name} must be a JSON array, got ${truncate(raw)}`);
    return undefined;
  }
  return parsed;
}

/** METRIC_NAMESPACE, required: `purpose` says what it is for when it is missing. */
export function requiredMetricNamespace(env: Env, problems: string[], purpose: string): string {
  const value = env.METRIC_NAMESPACE?.trim() ?? '';
  if (!value) {
    problems.push(`METRIC_NAMESPACE is required (${purpose}) but is not set`);
  } else if (!NAMESPACE_PATTERN.test(value) || value.startsWith('AWS/')) {
    problems.push(`METRIC_NAMESPACE must be 1-255 letters, digits or . - _ / # : and must not start with "AWS/", got "${value}"`);
  }
  return value;
}

/** A value as a problem message quotes it: JSON, at most 200 characters. */
export function show(v: unknown): string {
  return v === undefined ? 'nothing' : truncate(JSON.stringify(v));
}

function truncate(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

/** A comma-separated list; blanks dropped. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}
