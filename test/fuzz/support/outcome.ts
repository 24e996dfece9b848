import { App } from 'aws-cdk-lib';
import { ComplianceRuleError } from '../../../src/validation/errors';
import { checkTemplates } from '../checker';
import { newApp, synthesize } from './synth';

/**
 * What one fuzz input did. The contract (issue 13): either the app synthesizes and
 * the independent checker finds its templates consistent, or the library rejects the
 * input with its own error type, whose message starts with the path of a construct of
 * the app and names the prop (`<path>: <prop> is <value>; <allowed>`). Anything else
 * is a defect: a TypeError, an error without our path (aws-cdk-lib's or anybody's),
 * a rejection that only annotates, or an inconsistent template.
 */
export type Outcome =
  | { readonly kind: 'valid' }
  | { readonly kind: 'rejected'; readonly prop: string; readonly message: string }
  | { readonly kind: 'defect'; readonly defect: string; readonly detail: string };

/** `tiers[2].retention`, `tiers['daily'].retention` -> `tiers[].retention`. */
export function ruleKey(prop: string): string {
  return prop.replace(/\[(\d+|'[^']*')\]/g, '[]');
}

const OUR_MESSAGE = /^(\S(?:.*?\S)?): (.+?) is ([\s\S]+?); ([\s\S]+)$/;

/** The prop named by a message of ours, if it is one: `<path>: <prop> is <value>; <allowed>` with a real path. */
function propOf(message: string, app: App, knownProps: readonly string[]): string | undefined {
  const m = OUR_MESSAGE.exec(message);
  if (!m) return undefined;
  const [, path, prop] = m;
  if (!app.node.findAll().some((c) => c.node.path === path)) return undefined;
  const root = prop.replace(/^the /, '').split(/[.[ (]/)[0];
  return knownProps.includes(root) || knownProps.includes(prop) ? prop : undefined;
}

/** The first line of an error, with numbers and quoted values generalized, to group defects by cause. */
export function signature(kind: string, message: string): string {
  const line = message.split('\n').find((l) => l.trim() !== '' && !l.startsWith('Validation failed')) ?? message;
  return `${kind}: ${line.trim().replace(/'[^']*'/g, "'…'").replace(/\d+/g, 'N').slice(0, 160)}`;
}

export function classifyError(e: unknown, app: App, knownProps: readonly string[]): Outcome {
  const error = e as Error;
  const message = String(error?.message ?? e);
  if (e instanceof ComplianceRuleError) {
    const prop = propOf(message, app, knownProps);
    return prop !== undefined
      ? { kind: 'rejected', prop: ruleKey(prop), message }
      : { kind: 'defect', defect: signature('ComplianceRuleError without a construct path and a prop', message), detail: message };
  }
  // Violations found by node.addValidation reach the caller as aws-cdk-lib's synth error
  // listing `[<path>] <message>`: each must be one of ours.
  if (message.startsWith('Validation failed with the following errors:')) {
    const lines = message.split('\n').slice(1).map((l) => /^\s*\[([^\]]+)\] ([\s\S]*)$/.exec(l)).filter((m) => m !== null);
    const props = lines.map((m) => propOf(m![2], app, knownProps));
    if (lines.length > 0 && props.every((p) => p !== undefined)) return { kind: 'rejected', prop: ruleKey(props[0]!), message };
    return { kind: 'defect', defect: signature('synth validation error that is not the library\'s', message), detail: message };
  }
  const kind = e instanceof TypeError ? 'TypeError' : e instanceof RangeError ? 'RangeError' : `${error?.name ?? typeof e} (not ComplianceRuleError)`;
  return { kind: 'defect', defect: signature(kind, message), detail: `${message}\n${String(error?.stack ?? '').split('\n').slice(1, 6).join('\n')}` };
}

/**
 * Builds one input into a fresh app and judges it. `setup` adds what a user would
 * have besides the construct (stacks, buckets, roles): an error there is the test's
 * own and is thrown. `build` is the library call under test.
 */
export function judge<T>(setup: (app: App) => T, build: (ctx: T) => void, knownProps: readonly string[]): Outcome {
  const app = newApp();
  const ctx = setup(app);
  let synthesized;
  try {
    build(ctx);
    synthesized = synthesize(app);
  } catch (e) {
    return classifyError(e, app, knownProps);
  }
  if (synthesized.errorAnnotations.length > 0) {
    return { kind: 'defect', defect: signature('rejected only by an error annotation', synthesized.errorAnnotations[0]), detail: synthesized.errorAnnotations.join('\n') };
  }
  const findings = checkTemplates('fuzz', synthesized.stacks);
  if (findings.length > 0) {
    // Resource paths differ from input to input: the cause is what is wrong.
    return { kind: 'defect', defect: signature('inconsistent template', findings[0].replace(/\S*\/\S*/g, '…')), detail: findings.join('\n') };
  }
  return { kind: 'valid' };
}
