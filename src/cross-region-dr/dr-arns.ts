/**
 * The ARNs CrossRegionDr writes as plain strings, built in one place. They cross
 * regions by name (CloudFormation references do not), so each is assembled from the
 * partition, account, region and a deterministic name.
 */
export class DrArns {
  constructor(private readonly partition: string, private readonly account: string) {}

  /** An ARN of `service` in `region` (empty for global services) of this account. */
  public of(service: string, region: string, resource: string): string {
    return `arn:${this.partition}:${service}:${region}:${this.account}:${resource}`;
  }

  public backupVault(region: string, name: string): string {
    return this.of('backup', region, `backup-vault:${name}`);
  }

  public rdsCluster(region: string, identifier: string): string {
    return this.of('rds', region, `cluster:${identifier}`);
  }

  public rdsInstance(region: string, identifier: string): string {
    return this.of('rds', region, `db:${identifier}`);
  }

  /** Aurora global clusters are global: their ARN has no region. */
  public rdsGlobalCluster(identifier: string): string {
    return this.of('rds', '', `global-cluster:${identifier}`);
  }

  public kmsAlias(region: string, aliasName: string): string {
    return this.of('kms', region, aliasName);
  }

  /** Any key of this account in `region` (narrowed by a `kms:ResourceAliases` condition where used). */
  public kmsKeys(region: string): string {
    return this.of('kms', region, 'key/*');
  }

  /** `name` starts with '/' (SSM parameter names in a hierarchy do; the ARN drops it). */
  public ssmParameter(region: string, name: string): string {
    return this.of('ssm', region, `parameter/${name.replace(/^\//, '')}`);
  }

  public iamRole(name: string): string {
    return this.of('iam', '', `role/${name}`);
  }

  public s3Bucket(name: string): string {
    return `arn:${this.partition}:s3:::${name}`;
  }

  public route53HostedZone(zoneId: string): string {
    return `arn:${this.partition}:route53:::hostedzone/${zoneId}`;
  }

  public logGroup(region: string, name: string): string {
    return this.of('logs', region, `log-group:${name}`);
  }
}
