import { PhysicalIdentity, StackEnv, knowsType, physicalIdentity } from './physical-ids';

/**
 * Turns CloudFormation template values into what they are once deployed in the
 * stack's account, region and partition: Ref, Fn::GetAtt, Fn::Join, Fn::Sub,
 * Fn::Select, Fn::Split, Fn::If (with the template's Conditions), Fn::FindInMap,
 * Fn::ImportValue (through the app's exports), Fn::Base64, Fn::Length,
 * Fn::ToJsonString and the pseudo parameters.
 *
 * What cannot be resolved becomes a string containing UNRESOLVED, so a value built
 * from it is recognizably unresolved too, and a check on it fails instead of passing.
 */

export const UNRESOLVED = '{{unresolved:';

export function unresolved(what: string): string {
  return `${UNRESOLVED}${what}}}`;
}

export function isUnresolved(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes(UNRESOLVED);
}

/** Removed from lists and objects, as CloudFormation does. */
const NO_VALUE = Symbol('AWS::NoValue');

export type ImportLookup = (exportName: string) => unknown;

export class StackResolver {
  private readonly identities = new Map<string, PhysicalIdentity>();
  private readonly resolving = new Set<string>();
  private readonly conditions = new Map<string, boolean>();

  constructor(
    private readonly template: any,
    public readonly env: StackEnv,
    private readonly imports: ImportLookup = (name) => unresolved(`Fn::ImportValue ${name}`),
  ) {}

  /** Resolves a template value deeply. */
  public resolve(value: unknown): any {
    const out = this.walk(value);
    return out === NO_VALUE ? undefined : out;
  }

  /** The deployed identity (Ref and attributes) of a resource of this template. */
  public identity(logicalId: string): PhysicalIdentity {
    const cached = this.identities.get(logicalId);
    if (cached) return cached;
    const resource = this.template.Resources?.[logicalId];
    if (!resource) return { ref: unresolved(`Ref ${logicalId}`), attributes: {} };
    if (this.resolving.has(logicalId)) return { ref: unresolved(`cycle at ${logicalId}`), attributes: {} };
    this.resolving.add(logicalId);
    try {
      const identity = physicalIdentity(resource.Type, this.env, logicalId, (name) => this.resolve(resource.Properties?.[name]));
      this.identities.set(logicalId, identity);
      return identity;
    } finally {
      this.resolving.delete(logicalId);
    }
  }

  /** Whether a named template condition holds. */
  public condition(name: string): boolean {
    if (!this.conditions.has(name)) {
      const expression = this.template.Conditions?.[name];
      this.conditions.set(name, expression === undefined ? false : Boolean(this.resolve(expression)));
    }
    return this.conditions.get(name)!;
  }

  private walk(value: unknown): any {
    if (Array.isArray(value)) return value.map((v) => this.walk(v)).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0];
      const intrinsic = this.intrinsic(fn, arg);
      if (intrinsic !== undefined) return intrinsic.value;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const resolved = this.walk(v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  private intrinsic(fn: string, arg: any): { value: any } | undefined {
    switch (fn) {
      case 'Ref': return { value: this.ref(String(arg)) };
      case 'Fn::GetAtt': {
        const [id, ...attr] = Array.isArray(arg) ? arg : String(arg).split('.');
        return { value: this.getAtt(String(id), attr.join('.')) };
      }
      case 'Fn::Join': {
        const [sep, list] = arg;
        const items = this.walk(list);
        return { value: Array.isArray(items) ? items.map((i) => String(i)).join(sep) : unresolved('Fn::Join of a non-list') };
      }
      case 'Fn::Sub': return { value: this.sub(arg) };
      case 'Fn::Select': {
        const [index, list] = arg;
        const items = this.walk(list);
        const i = Number(this.walk(index));
        return { value: Array.isArray(items) && i < items.length ? items[i] : unresolved('Fn::Select out of range') };
      }
      case 'Fn::Split': {
        const [sep, source] = arg;
        const s = this.walk(source);
        return { value: typeof s === 'string' ? s.split(sep) : unresolved('Fn::Split of a non-string') };
      }
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = arg;
        return { value: this.walk(this.condition(String(name)) ? whenTrue : whenFalse) };
      }
      case 'Fn::Equals': {
        const [a, b] = this.walk(arg);
        return { value: JSON.stringify(a) === JSON.stringify(b) };
      }
      case 'Fn::Not': return { value: !this.walk(arg)[0] };
      case 'Fn::And': return { value: this.walk(arg).every(Boolean) };
      case 'Fn::Or': return { value: this.walk(arg).some(Boolean) };
      case 'Condition': return typeof arg === 'string' ? { value: this.condition(arg) } : undefined;
      case 'Fn::FindInMap': {
        const [map, top, second] = this.walk(arg);
        const found = this.template.Mappings?.[map]?.[top]?.[second];
        return { value: found === undefined ? unresolved(`Fn::FindInMap ${map}.${top}.${second}`) : this.walk(found) };
      }
      case 'Fn::ImportValue': return { value: this.imports(String(this.walk(arg))) };
      case 'Fn::Base64': return { value: Buffer.from(String(this.walk(arg))).toString('base64') };
      case 'Fn::Length': {
        const items = this.walk(arg);
        return { value: Array.isArray(items) ? items.length : unresolved('Fn::Length of a non-list') };
      }
      case 'Fn::ToJsonString': return { value: JSON.stringify(this.walk(arg)) };
      case 'Fn::GetAZs': return { value: ['a', 'b', 'c'].map((z) => `${this.env.region}${z}`) };
      case 'Fn::Cidr': return { value: unresolved('Fn::Cidr') };
      default: return undefined;
    }
  }

  private ref(name: string): unknown {
    switch (name) {
      case 'AWS::AccountId': return this.env.account;
      case 'AWS::Region': return this.env.region;
      case 'AWS::Partition': return this.env.partition;
      case 'AWS::URLSuffix': return this.env.urlSuffix;
      case 'AWS::StackName': return this.env.stackName;
      case 'AWS::StackId': return `arn:${this.env.partition}:cloudformation:${this.env.region}:${this.env.account}:stack/${this.env.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NoValue': return NO_VALUE;
      case 'AWS::NotificationARNs': return [];
      default:
    }
    if (this.template.Parameters?.[name]) {
      const parameter = this.template.Parameters[name];
      // CDK's asset and bootstrap parameters: their defaults are what a deployment uses.
      return parameter.Default !== undefined ? parameter.Default : unresolved(`parameter ${name}`);
    }
    return this.identity(name).ref;
  }

  private getAtt(logicalId: string, attribute: string): string {
    const resource = this.template.Resources?.[logicalId];
    if (!resource) return unresolved(`Fn::GetAtt ${logicalId}.${attribute}`);
    const value = this.identity(logicalId).attributes[attribute];
    if (value !== undefined) return value;
    return unresolved(`${knowsType(resource.Type) ? '' : `${resource.Type} `}${logicalId}.${attribute}`);
  }

  private sub(arg: any): string {
    const [text, vars] = typeof arg === 'string' ? [arg, {}] : arg;
    const values = this.walk(vars ?? {});
    return String(text).replace(/\$\{([^}!][^}]*)\}/g, (_m, expr: string) => {
      if (expr in values) return String(values[expr]);
      const [id, ...attr] = expr.split('.');
      return String(attr.length > 0 ? this.getAtt(id, attr.join('.')) : this.ref(id));
    }).replace(/\$\{!/g, '${');
  }
}
