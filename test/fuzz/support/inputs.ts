import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';

/**
 * Fuzz inputs are generated as plain data ("specs") and turned into props only
 * inside the app under test, so that each input can be printed, compared by size
 * and replayed. Markers in a spec:
 *
 * - `{ $duration: 'days', amount: 3 }` -> `Duration.days(3)`
 * - `{ $cron: { minute: '0', hour: '5' } }` -> `events.Schedule.cron(...)`;
 *   `{ $expression: 'cron(0 5 * * ? *)' }` -> `events.Schedule.expression(...)`
 * - `{ $ref: 'role', index: 0 }` -> a construct the test's setup made (a role, a key, a vault, ...)
 * - `{ $wrong: value }` -> `value` as is: what a JavaScript user can pass where the
 *   type says otherwise (a number for a Duration, a string for an enum, `{}`, `[]`, null,
 *   undefined in a required place)
 * - `{ $absent: true }` -> the key is left out.
 */
export type Spec = unknown;

export type Refs = (kind: string, index: number) => unknown;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether a spec field is left out. */
export const isAbsent = (v: unknown): boolean => isObject(v) && v.$absent === true;

/** The value a spec stands for. */
export function materialize(spec: Spec, refs: Refs): any {
  if (Array.isArray(spec)) return spec.map((s) => materialize(s, refs));
  if (!isObject(spec)) return spec;
  if ('$wrong' in spec) return spec.$wrong;
  if ('$duration' in spec) return (Duration as any)[spec.$duration as string](spec.amount);
  if ('$cron' in spec) return events.Schedule.cron(spec.$cron as events.CronOptions);
  if ('$expression' in spec) return events.Schedule.expression(spec.$expression as string);
  if ('$ref' in spec) return refs(spec.$ref as string, spec.index as number);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) {
    if (isObject(v) && v.$absent === true) continue;
    out[k] = materialize(v, refs);
  }
  return out;
}

/** A compact, replayable description of a spec. */
export function describe(spec: Spec): string {
  if (spec === undefined) return 'undefined';
  if (Array.isArray(spec)) return `[${spec.map(describe).join(', ')}]`;
  if (!isObject(spec)) return typeof spec === 'number' && !Number.isFinite(spec) ? String(spec) : JSON.stringify(spec);
  if ('$wrong' in spec) return `«${describe(spec.$wrong)}»`;
  if ('$duration' in spec) return `${spec.$duration}(${spec.amount})`;
  if ('$cron' in spec) return `cron${JSON.stringify(spec.$cron)}`;
  if ('$expression' in spec) return `expression(${JSON.stringify(spec.$expression)})`;
  if ('$ref' in spec) return `${spec.$ref}#${spec.index}`;
  const entries = Object.entries(spec).filter(([, v]) => !(isObject(v) && v.$absent === true));
  return `{${entries.map(([k, v]) => `${k}: ${describe(v)}`).join(', ')}}`;
}
