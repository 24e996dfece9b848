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

/**
 * An integer of at least `min` from `env[name]`, pure: `unset` when the variable is missing or
 * blank, `invalid` (with the raw text) when it holds anything else. Each policy below decides
 * what a bad value means for its handler: a listed problem, a thrown error, or a fallback.
 */
export function readInt(env: Env, name: string, min = 1):
  | { readonly kind: 'unset' }
  | { readonly kind: 'valid'; readonly value: number }
  | { readonly kind: 'invalid'; readonly raw: string } {
  const raw = env[name]?.trim();
  if (!raw) return { kind: 'unset' };
  const n = Number(raw);
  return Number.isInteger(n) && n >= min ? { kind: 'valid', value: n } : { kind: 'invalid', raw };
}

/** A positive integer; unset is `fallback`, or a problem (naming `expected`) when there is none. */
export function positiveInt(
  env: Env,
  name: string,
  problems: string[],
  fallback: number | undefined,
  expected = 'a positive whole number',
): number | undefined {
  const read = readInt(env, name);
  switch (read.kind) {
    case 'unset':
      if (fallback === undefined) problems.push(`${name} is required (${expected}) but is not set`);
      return fallback;
    case 'invalid':
      problems.push(`${name} must be a positive whole number, got "${read.raw}"`);
      return undefined;
    case 'valid':
      return read.value;
  }
}

/** A positive integer, or `fallback` when unset; any other value throws, naming the variable. */
export function positiveIntOrThrow(env: Env, name: string, fallback: number): number {
  const read = readInt(env, name);
  if (read.kind === 'invalid') throw new Error(`${name} must be a positive integer, got ${JSON.stringify(read.raw)}`);
  return read.kind === 'valid' ? read.value : fallback;
}

/**
 * An optional tuning knob: an integer of at least `min`, or `fallback`. A bad value must not stop
 * the handler, so it falls back and `warn` says so.
 */
export function intOrDefault(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  warn: (message: string, attributes: Record<string, unknown>) => void,
): number {
  const read = readInt(env, name, min);
  if (read.kind === 'invalid') {
    warn(`Ignoring ${name}: not ${min === 1 ? 'a positive integer' : `an integer >= ${min}`}`, { value: read.raw, using: fallback });
    return fallback;
  }
  return read.kind === 'valid' ? read.value : fallback;
}

/** A flag: `true` (any case) is on, anything else off. */
export function flag(env: Env, name: string): boolean {
  return env[name]?.trim().toLowerCase() === 'true';
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
