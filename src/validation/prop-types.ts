import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/*
 * TypeScript checks prop types at compile time; a JavaScript user, or a Python or Java user
 * through jsii, can still hand a construct a number where a Duration belongs or a string
 * where an enum member belongs. Without these checks the first arithmetic on such a value
 * throws a TypeError deep inside the construct ("d.toHours is not a function"), with no
 * path and no prop. The shapes below are checked at each construct's entry, before anything
 * is created, and fail with the library's own error.
 */

/** What a prop must be. `required` props must be present. */
export type PropShape =
  | { readonly kind: 'duration' | 'string' | 'number' | 'boolean' | 'stringRecord' | 'object' | 'construct' | 'schedule'; readonly required?: boolean }
  | { readonly kind: 'enum'; readonly values: Record<string, string | number>; readonly name: string; readonly required?: boolean }
  | { readonly kind: 'array'; readonly of?: PropShape; readonly required?: boolean }
  | { readonly kind: 'shape'; readonly shape: PropShapes; readonly required?: boolean };

export type PropShapes = Readonly<Record<string, PropShape>>;

/** A Duration from any copy of aws-cdk-lib (jsii passes the real object; instanceof may not hold across copies). */
function isDuration(value: unknown): boolean {
  const d = value as { toMilliseconds?: unknown; toHumanString?: unknown };
  return typeof value === 'object' && value !== null && typeof d.toMilliseconds === 'function' && typeof d.toHumanString === 'function';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a received value reads in a message: its type, and the value where that helps. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${value.length} entries)`;
  if (typeof value === 'string') return `the string '${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${value}`;
  if (typeof value === 'object') return `an object (${Object.keys(value as object).slice(0, 5).join(', ') || 'no keys'})`;
  return `a ${typeof value}`;
}

function expected(shape: PropShape): string {
  switch (shape.kind) {
    case 'duration': return 'expected a Duration (for example Duration.days(35))';
    case 'string': return 'expected a string';
    case 'number': return 'expected a finite number';
    case 'boolean': return 'expected true or false';
    case 'stringRecord': return 'expected an object of string keys to string values';
    case 'object': return 'expected an object';
    case 'construct': return 'expected a construct (or an object the matching fromXxx() import returns)';
    case 'schedule': return 'expected an events.Schedule (for example Schedule.cron({ minute: \'0\', hour: \'5\' }))';
    case 'enum': return `expected a member of ${shape.name}: ${Object.keys(shape.values).filter((k) => Number.isNaN(Number(k))).map((k) => `${shape.name}.${k}`).join(', ')}`;
    case 'array': return 'expected an array';
    case 'shape': return 'expected an object';
  }
}

function matches(shape: PropShape, value: unknown): boolean {
  if (Token.isUnresolved(value)) return true;
  switch (shape.kind) {
    case 'duration': return isDuration(value);
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'boolean': return typeof value === 'boolean';
    case 'stringRecord': return isPlainObject(value) && Object.values(value).every((v) => typeof v === 'string');
    case 'object': return isPlainObject(value) || (typeof value === 'object' && value !== null);
    case 'construct': return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'schedule': return isPlainObject(value) && typeof (value as { expressionString?: unknown }).expressionString === 'string';
    case 'enum': return Object.values(shape.values).includes(value as string | number);
    case 'array': return Array.isArray(value);
    case 'shape': return isPlainObject(value);
  }
}

/** Checks one value against its shape, recursing into arrays and nested shapes. */
export function checkPropType(scope: IConstruct, prop: string, value: unknown, shape: PropShape): void {
  if (value === undefined) {
    if (shape.required) fail(scope, prop, 'missing', `it is required (${expected(shape)})`);
    return;
  }
  if (!matches(shape, value)) fail(scope, prop, describeValue(value), expected(shape));
  if (Token.isUnresolved(value)) return;
  if (shape.kind === 'array' && shape.of) {
    (value as unknown[]).forEach((entry, i) => checkPropType(scope, `${prop}[${i}]`, entry, { ...shape.of!, required: true }));
  }
  if (shape.kind === 'shape') checkPropTypes(scope, prop, value, shape.shape);
}

/**
 * Checks the props object of a construct (or a nested options object at `prefix`) against
 * the shapes of its known props. Unknown keys are left alone: they are ignored, as in TypeScript.
 */
export function checkPropTypes(scope: IConstruct, prefix: string, props: unknown, shapes: PropShapes): void {
  if (props === undefined) props = {};
  if (!isPlainObject(props)) fail(scope, prefix || 'props', describeValue(props), 'expected an object of props');
  const record = props as Record<string, unknown>;
  for (const [key, shape] of Object.entries(shapes)) {
    checkPropType(scope, prefix ? `${prefix}.${key}` : key, record[key], shape);
  }
}

/** Shorthands for the shape tables of the constructs. */
export const T = {
  duration: { kind: 'duration' } as const,
  requiredDuration: { kind: 'duration', required: true } as const,
  string: { kind: 'string' } as const,
  requiredString: { kind: 'string', required: true } as const,
  number: { kind: 'number' } as const,
  boolean: { kind: 'boolean' } as const,
  stringRecord: { kind: 'stringRecord' } as const,
  object: { kind: 'object' } as const,
  construct: { kind: 'construct' } as const,
  schedule: { kind: 'schedule' } as const,
  strings: { kind: 'array', of: { kind: 'string' } } as const,
  constructs: { kind: 'array', of: { kind: 'construct' } } as const,
  enumOf: (name: string, values: Record<string, string | number>): PropShape => ({ kind: 'enum', name, values }),
  arrayOf: (of: PropShape): PropShape => ({ kind: 'array', of }),
  shape: (shape: PropShapes): PropShape => ({ kind: 'shape', shape }),
};
