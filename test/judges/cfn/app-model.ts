import { partitionOf } from './physical-ids';
import { StackResolver, isUnresolved, unresolved } from './resolver';

/**
 * The synthesized templates of one app, resolved: every resource with its
 * properties as deployed and its identity (Ref, ARN), and lookups across the
 * app's stacks by ARN and name. Cross-stack values in this library are plain
 * strings (deterministic names and ARNs), so a lookup by ARN finds a resource of
 * another stack, in another region too; exports are followed as well.
 */

/** What the model needs of a synthesized stack. */
export interface StackInput {
  readonly id: string;
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly template: any;
}

export class ModelResource {
  private resolvedProps?: Record<string, any>;

  constructor(public readonly stack: ModelStack, public readonly logicalId: string, private readonly raw: any) {}

  public get type(): string {
    return this.raw.Type;
  }

  /** The properties as deployed. */
  public get props(): Record<string, any> {
    this.resolvedProps ??= this.stack.resolver.resolve(this.raw.Properties ?? {}) ?? {};
    return this.resolvedProps!;
  }

  /** The raw template entry (for seeds and messages). */
  public get template(): any {
    return this.raw;
  }

  public get ref(): string {
    return this.stack.resolver.identity(this.logicalId).ref;
  }

  public attr(name: string): string {
    return this.stack.resolver.resolve({ 'Fn::GetAtt': [this.logicalId, name] });
  }

  /** The resource's ARN, when its type has one the model knows. */
  public get arn(): string | undefined {
    const attributes = this.stack.resolver.identity(this.logicalId).attributes;
    const candidates = ['Arn', 'TopicArn', 'BackupVaultArn', 'DBClusterArn', 'DBInstanceArn', 'PolicyArn', 'RestoreTestingPlanArn', 'ReportPlanArn', 'FrameworkArn', 'BackupPlanArn'];
    for (const c of candidates) if (attributes[c]) return attributes[c];
    const ref = this.ref;
    return ref.startsWith('arn:') ? ref : undefined;
  }

  /** `<logical id> (<type>)`, in the stack of the finding or qualified with its own stack. */
  public describe(from?: ModelStack): string {
    const where = from && from !== this.stack ? `${this.stack.stackName}/` : '';
    return `${where}${this.logicalId} (${this.type})`;
  }
}

export class ModelStack {
  public readonly id: string;
  public readonly stackName: string;
  public readonly account: string;
  public readonly region: string;
  public readonly template: any;
  public readonly resolver: StackResolver;
  public readonly partition: string;
  public readonly resources: ModelResource[];

  constructor(public readonly app: AppModel, input: StackInput) {
    const { partition, urlSuffix } = partitionOf(input.region);
    this.partition = partition;
    this.id = input.id;
    this.stackName = input.stackName;
    this.account = input.account;
    this.region = input.region;
    this.template = input.template;
    const env = { account: input.account, region: input.region, partition, urlSuffix, stackName: input.stackName };
    this.resolver = new StackResolver(input.template, env, (name) => app.importValue(name));
    this.resources = Object.entries<any>(input.template.Resources ?? {})
      .filter(([, r]) => r.Condition === undefined || this.resolver.condition(r.Condition))
      .map(([id, r]) => new ModelResource(this, id, r));
  }

  public ofType(type: string): ModelResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  public resource(logicalId: string): ModelResource | undefined {
    return this.resources.find((r) => r.logicalId === logicalId);
  }

  public resolve(value: unknown): any {
    return this.resolver.resolve(value);
  }
}

export class AppModel {
  public readonly stacks: ModelStack[];
  private arnIndex?: Map<string, ModelResource>;

  constructor(public readonly name: string, inputs: StackInput[]) {
    this.stacks = inputs.map((input) => new ModelStack(this, input));
  }

  public get resources(): ModelResource[] {
    return this.stacks.flatMap((s) => s.resources);
  }

  public ofType(type: string): ModelResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The value a stack of this app exports under `name`. */
  public importValue(name: string): unknown {
    for (const stack of this.stacks) {
      for (const output of Object.values<any>(stack.template.Outputs ?? {})) {
        if (output.Export && stack.resolve(output.Export.Name) === name) return stack.resolve(output.Value);
      }
    }
    return unresolved(`Fn::ImportValue ${name}`);
  }

  /** The resource of this app with this ARN (any stack, any region). */
  public byArn(arn: string | undefined): ModelResource | undefined {
    if (!arn || isUnresolved(arn)) return undefined;
    if (!this.arnIndex) {
      this.arnIndex = new Map();
      for (const r of this.resources) {
        const a = r.arn;
        if (a) this.arnIndex.set(a, r);
      }
    }
    return this.arnIndex.get(arn);
  }

  /** The bucket with this name (bucket names are global). */
  public bucket(name: string | undefined): ModelResource | undefined {
    if (!name) return undefined;
    const bare = name.startsWith('arn:') ? name.split(':::')[1] : name;
    return this.ofType('AWS::S3::Bucket').find((b) => b.ref === bare);
  }

  /** The queue with this URL or ARN. */
  public queue(urlOrArn: string | undefined): ModelResource | undefined {
    if (!urlOrArn) return undefined;
    return this.ofType('AWS::SQS::Queue').find((q) => q.ref === urlOrArn || q.attr('Arn') === urlOrArn);
  }

  /** The function with this name or ARN (a name is looked up in `region`). */
  public lambdaFunction(nameOrArn: string | undefined, region: string): ModelResource | undefined {
    if (!nameOrArn) return undefined;
    const arn = nameOrArn.replace(/:(\$LATEST|\d+)$/, '');
    return this.ofType('AWS::Lambda::Function').find((f) => f.attr('Arn') === arn || (f.stack.region === region && f.ref === arn));
  }

  /**
   * The key named by a key id, key ARN, alias name or alias ARN (ids and alias
   * names in `region`); `aliases` are the alias names that point at it.
   */
  public key(idOrArn: string | undefined, region: string): { key?: ModelResource; aliases: string[] } {
    const key = this.findKey(idOrArn, region);
    const aliases = key ? this.ofType('AWS::KMS::Alias')
      .filter((a) => a.stack.region === key.stack.region && this.findKey(String(a.props.TargetKeyId), a.stack.region) === key)
      .map((a) => String(a.props.AliasName)) : [];
    return { key, aliases };
  }

  private findKey(idOrArn: string | undefined, region: string): ModelResource | undefined {
    if (!idOrArn || isUnresolved(idOrArn)) return undefined;
    const aliasMatch = /^(?:arn:[^:]+:kms:([^:]+):[^:]+:)?(alias\/.+)$/.exec(idOrArn);
    if (aliasMatch) {
      const aliasRegion = aliasMatch[1] ?? region;
      const alias = this.ofType('AWS::KMS::Alias').find((a) => a.stack.region === aliasRegion && a.props.AliasName === aliasMatch[2]);
      const target = alias?.props.TargetKeyId;
      return target && !String(target).startsWith('alias/') ? this.findKey(String(target), aliasRegion) : undefined;
    }
    return this.ofType('AWS::KMS::Key').find((k) => k.attr('Arn') === idOrArn || (k.stack.region === region && k.ref === idOrArn));
  }

  /** The role with this ARN. */
  public role(arn: string | undefined): ModelResource | undefined {
    if (!arn) return undefined;
    return this.ofType('AWS::IAM::Role').find((r) => r.attr('Arn') === arn);
  }
}
