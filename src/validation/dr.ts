import { Duration, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { describeDuration, fail } from './errors';

// --- S3 replication (CrossRegionDr) ----------------------------------------------------

/** S3 replication facts the rules below rely on. */
export const S3_REPLICATION_LIMITS = {
  /** Replication Time Control: 99.99% of new objects within 15 minutes, the only S3 replication with a time objective. */
  rtcMinutes: 15,
  /** Destination storage classes that S3 replication accepts (REDUCED_REDUNDANCY is deprecated and left out). */
  storageClasses: ['STANDARD', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as readonly string[],
  /** Upper bound of a standard restore, in hours, for the classes whose objects cannot be read before a restore. */
  restoreHours: { GLACIER: 5, DEEP_ARCHIVE: 12 } as Readonly<Record<string, number>>,
};

/**
 * S3 general purpose bucket naming rules. The replica's name must be known at synth:
 * the replication rule in the primary region names it, and CloudFormation
 * references do not cross regions.
 */
export function checkReplicaBucketName(scope: IConstruct, prop: string, name: string): void {
  if (Token.isUnresolved(name)) {
    fail(scope, prop, '(token)', 'the replica bucket name must be known at synth: the replication rule in the primary region names it, '
      + 'and CloudFormation references do not cross regions');
  }
  const valid = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)
    && !name.includes('..')
    && !/^\d{1,3}(\.\d{1,3}){3}$/.test(name)
    && !/^(xn--|sthree-|amzn-s3-demo-)/.test(name)
    && !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name);
  if (!valid) {
    fail(scope, prop, `'${name}'`, 'a bucket name is 3-63 lowercase letters, digits, hyphens and dots, starting and ending with a letter or digit, '
      + "without '..', not an IP address, without the reserved prefixes xn--, sthree-, amzn-s3-demo- and the reserved suffixes "
      + '-s3alias, --ol-s3, .mrap, --x-s3, --table-s3');
  }
}

/** Replication rules are written into the bucket's own AWS::S3::Bucket resource, in the primary stack. */
export function checkReplicationSourceOwned(scope: IConstruct, bucket: IConstruct, primaryStack: Stack): void {
  if (!(bucket.node.defaultChild instanceof CfnBucket)) {
    fail(scope, 'the bucket to replicate', 'an imported bucket (no AWS::S3::Bucket resource in this app)',
      "replication rules are written into the bucket's own AWS::S3::Bucket resource: pass an s3.Bucket defined in this app, "
      + `in the primary stack '${primaryStack.stackName}'`);
  }
  const stack = Stack.of(bucket);
  if (stack !== primaryStack) {
    fail(scope, 'the stack of the bucket to replicate', `'${stack.stackName}'`,
      `the bucket must be in the primary stack '${primaryStack.stackName}', where its replication rule, role and alarms live`);
  }
}

/** S3 replication needs a versioned source (object lock turns versioning on by itself). */
export function checkReplicationSourceVersioned(scope: IConstruct, versioningStatus: string | undefined, objectLockEnabled: boolean): void {
  if (objectLockEnabled || versioningStatus === 'Enabled') return;
  if (versioningStatus !== undefined && Token.isUnresolved(versioningStatus)) return;
  fail(scope, 'versioned', versioningStatus === undefined ? 'not set' : `'${versioningStatus}'`,
    'S3 replication needs versioning enabled on the source bucket: set versioned: true');
}

/** A storage class replication accepts, and one whose replicas can be read within the RTO. */
export function checkReplicaStorageClass(scope: IConstruct, prop: string, storageClass: string, rto: Duration): void {
  if (Token.isUnresolved(storageClass)) return;
  if (!S3_REPLICATION_LIMITS.storageClasses.includes(storageClass)) {
    fail(scope, prop, `'${storageClass}'`, `S3 replication writes replicas in one of ${S3_REPLICATION_LIMITS.storageClasses.join(', ')}`);
  }
  const restoreHours = S3_REPLICATION_LIMITS.restoreHours[storageClass];
  if (restoreHours !== undefined && !Token.isUnresolved(rto) && rto.toMinutes() < restoreHours * 60) {
    fail(scope, prop, `'${storageClass}'`,
      `replicas in ${storageClass} must be restored before they can be read (a standard restore takes up to ${restoreHours} hours), `
      + `which does not fit the RTO of ${describeDuration(rto)}; use STANDARD, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING or GLACIER_IR`);
  }
}

/** A struct value, or undefined when it is a token. */
function readable<T>(value: T | undefined): T | undefined {
  return value === undefined || Tokenization.isResolvable(value) || Token.isUnresolved(value) ? undefined : value;
}

const READABLE_MESSAGE = 'CrossRegionDr merges its replication rule with the existing rules, so the replication configuration '
  + 'and each of its rules must be plain values at synth (not Lazy or IResolvable)';

/** CrossRegionDr merges its rule into the bucket's replication configuration, so it must be readable at synth. */
export function checkReplicationConfigurationReadable(scope: IConstruct, prop: string, value: unknown): void {
  if (value !== undefined && readable(value) === undefined) fail(scope, prop, '(token)', READABLE_MESSAGE);
}

/** An existing replication rule, its destination and the parts CrossRegionDr reads must be plain values. */
export function checkReplicationRuleReadable(scope: IConstruct, prop: string, value: unknown): void {
  const rule = readable(value) as CfnBucket.ReplicationRuleProperty | undefined;
  const destination = readable(rule?.destination) as CfnBucket.ReplicationDestinationProperty | undefined;
  const unreadable = rule === undefined || destination === undefined
    || (rule.priority !== undefined && Token.isUnresolved(rule.priority))
    || (destination.encryptionConfiguration !== undefined && readable(destination.encryptionConfiguration) === undefined)
    || (rule.sourceSelectionCriteria !== undefined && readable(rule.sourceSelectionCriteria) === undefined);
  if (unreadable) fail(scope, prop, '(token)', READABLE_MESSAGE);
}

/** An existing rule CrossRegionDr can keep beside its own. */
export function checkExistingReplicationRule(
  scope: IConstruct,
  prop: string,
  rule: { readonly id?: string; readonly legacyPrefix: boolean; readonly account?: string },
  drRuleId: string,
  account: string,
): void {
  const name = rule.id !== undefined ? `rule '${rule.id}'` : 'a rule without id';
  if (rule.legacyPrefix) {
    fail(scope, prop, `${name} with a rule-level prefix (replication configuration V1)`,
      'CrossRegionDr adds a rule with filter and priority (V2), and S3 rejects a configuration that mixes the two schemas: '
      + 'move the prefix into filter: { prefix } and set priority and deleteMarkerReplication');
  }
  if (rule.id === drRuleId) {
    fail(scope, prop, name, 'this bucket is already replicated by this CrossRegionDr; call replicateBucket() once per bucket');
  }
  if (rule.account !== undefined && !Token.isUnresolved(rule.account) && rule.account !== account) {
    fail(scope, prop, `${name}, which replicates to account ${rule.account}`,
      "S3 gives a bucket's replication configuration one role and CrossRegionDr replaces it with its own, which the other "
      + "account's destination bucket does not trust: CrossRegionDr cannot take over cross-account rules");
  }
}

// --- Database DR (CrossRegionDr) ----------------------------------------------------------

/**
 * The oldest engine versions that can join an Aurora global database in any region
 * (AWS Aurora User Guide, "Supported Regions and DB engines for Aurora global
 * databases"); later major versions support it from their first release.
 */
export const AURORA_GLOBAL_MIN_VERSIONS = {
  /** Aurora MySQL: 2.07 (MySQL 5.7 compatible) and every 3.x. */
  mysql: { major: 2, minor: 7 },
  /** Aurora PostgreSQL, by major version. */
  postgres: { 10: 14, 11: 9, 12: 4, 13: 3, 14: 3 } as Readonly<Record<number, number>>,
} as const;

/** DB cluster, DB instance and global cluster identifiers. */
export function checkRdsIdentifier(scope: IConstruct, prop: string, id: string): void {
  if (Token.isUnresolved(id)) {
    fail(scope, prop, '(token)', 'the identifier must be known at synth: the other region refers to it by name and ARN, '
      + 'and CloudFormation references do not cross regions');
  }
  if (!/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(id) || id.includes('--') || id.endsWith('-')) {
    fail(scope, prop, `'${id}'`, 'an RDS identifier is 1-63 letters, digits and hyphens, starts with a letter, '
      + 'and has no two consecutive hyphens and no trailing hyphen');
  }
}

/**
 * User databases need explicit physical identifiers: the DR region refers to them by name
 * and ARN. Returns the identifier (lowercase for clusters and instances, as RDS stores them).
 */
export function checkExplicitIdentifier(scope: IConstruct, prop: string, value: string | undefined, kind: 'cluster' | 'instance' | 'table'): string {
  if (value === undefined || Token.isUnresolved(value)) {
    fail(scope, prop, value === undefined ? 'undefined' : '(token)', `user databases need explicit physical identifiers: set ${prop} so that `
      + `the DR region can refer to the ${kind} by name and ARN (CloudFormation references do not cross regions)`);
  }
  return kind === 'table' ? value! : value!.toLowerCase();
}

/** A protected database lives in the primary region of its CrossRegionDr. */
export function checkDatabaseRegion(scope: IConstruct, region: string, primaryRegion: string): void {
  if (Token.isUnresolved(region)) {
    fail(scope, 'the stack region', '(token)', `a protected database must be in a stack of the primary region (${primaryRegion}): `
      + 'set env: { region } on its stack');
  }
  if (region !== primaryRegion) {
    fail(scope, 'the stack region', `'${region}'`, `a protected database must be in the primary region of the CrossRegionDr (${primaryRegion})`);
  }
}

/** Cross-region RDS copies are encrypted with the DR key, which RDS does only for an encrypted source. */
export function checkDatabaseStorageEncrypted(scope: IConstruct, encrypted: unknown): void {
  if (encrypted !== null && typeof encrypted === 'object') return; // a token: known at deploy time only
  if (encrypted !== true) {
    fail(scope, 'storageEncrypted', String(encrypted), 'the DR copy is encrypted with the DR key, and RDS encrypts a cross-region '
      + 'copy only of an encrypted source: set storageEncrypted: true (or a storageEncryptionKey)');
  }
}

/** Engine, engine mode, backtracking and version of an Aurora global database primary. */
export function checkAuroraGlobalEngine(
  scope: IConstruct,
  e: { engine?: string; engineVersion?: string; engineMode?: unknown; backtrackWindow?: unknown },
): void {
  const { engine, engineVersion } = e;
  if (engine !== 'aurora-mysql' && engine !== 'aurora-postgresql') {
    fail(scope, 'engine', `'${engine}'`, 'an Aurora global database needs engine aurora-mysql or aurora-postgresql '
      + '(Aurora MySQL 5.6, engine aurora, has reached end of life)');
  }
  if (e.engineMode === 'serverless') {
    fail(scope, 'engineMode', "'serverless'", 'Aurora Serverless v1 cannot join a global database; use provisioned or Serverless v2 instances');
  }
  if (typeof e.backtrackWindow === 'number' && e.backtrackWindow > 0) {
    fail(scope, 'backtrackWindow', `${e.backtrackWindow} seconds`, 'Aurora global databases do not support backtracking; remove backtrackWindow');
  }
  if (engineVersion === undefined || Token.isUnresolved(engineVersion)) {
    fail(scope, 'the engine version', engineVersion === undefined ? 'undefined' : '(token)', 'the secondary must run the primary\'s '
      + 'exact engine version: pin it, e.g. DatabaseClusterEngine.auroraPostgres({ version: AuroraPostgresEngineVersion.VER_16_4 })');
  }
  const version = engineVersion as string;
  const supported = 'Aurora global databases need Aurora MySQL 2.07 or later (every 3.x), or Aurora PostgreSQL 10.14+, 11.9+, '
    + '12.4+, 13.3+, 14.3+ or a later major version';
  const unsupported = () => fail(scope, 'the engine version', `'${engine} ${version}'`, supported);
  if (engine === 'aurora-mysql') {
    const m = /mysql_aurora\.(\d+)\.(\d+)/.exec(version);
    if (m) {
      const [major, minor] = [Number(m[1]), Number(m[2])];
      const min = AURORA_GLOBAL_MIN_VERSIONS.mysql;
      if (major < min.major || (major === min.major && minor < min.minor)) unsupported();
    } else if (/^5\.[67]\./.test(version)) {
      unsupported(); // 5.6.x and 5.7.12 are Aurora MySQL 1.x and 2.00-2.03
    }
  } else {
    const m = /^(\d+)\.(\d+)/.exec(version);
    if (m) {
      const [major, minor] = [Number(m[1]), Number(m[2])];
      const minMinor = AURORA_GLOBAL_MIN_VERSIONS.postgres[major];
      if (major < 10 || (minMinor !== undefined && minor < minMinor)) unsupported();
    }
  }
}

export function checkSecondaryInstanceCount(scope: IConstruct, count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > 16) {
    fail(scope, 'secondaryInstances', String(count), 'a secondary cluster has 1-16 DB instances; at least one, so that it can take '
      + 'writes right after a failover');
  }
}

/** The read replica's class comes from the source unless it is given. */
export function checkReplicaInstanceClass(scope: IConstruct, sourceClass: string | undefined): string {
  if (sourceClass === undefined) {
    fail(scope, 'instanceType', '(unknown at synth)', 'the source instance\'s class is not known at synth: set instanceClass in the '
      + 'read replica options');
  }
  return sourceClass as string;
}

/** A DynamoDB global table protected by CrossRegionDr has a replica in the DR region (checked at synth: replicas can be added later). */
export function checkGlobalTableReplica(scope: IConstruct, regions: readonly string[], drRegion: string): void {
  if (regions.includes(drRegion)) return;
  fail(scope, 'replicas', `[${regions.map((r) => `'${r}'`).join(', ')}]`,
    `the table has no replica in the DR region ${drRegion}: add replicas: [{ region: '${drRegion}' }] to the TableV2 `
    + `(and, for a customer-managed key, '${drRegion}': crossRegionDr.drKeyAliasArn in the replicaKeyArns of `
    + 'TableEncryptionV2.customerManagedKey())');
}

/** CrossRegionDr replicates a generated secret to the DR region itself: the user must not add that region too. */
export function checkSecretReplicatedOnce(scope: IConstruct, replicaRegions: readonly string[], drRegion: string): void {
  if (replicaRegions.filter((r) => r === drRegion).length <= 1) return;
  fail(scope, 'replicaRegions', `['${drRegion}', '${drRegion}']`,
    `CrossRegionDr replicates the generated secret to ${drRegion} with the DR key; remove ${drRegion} from the credentials' replicaRegions`);
}

// --- CrossRegionDr properties ---------------------------------------------------------------

/** What `checkDrProps` reads of CrossRegionDr's props (kept structural to avoid an import cycle). */
export interface DrPropsFacts {
  readonly drRegion: string;
  readonly rpo: Duration;
  readonly readinessInterval?: Duration;
  readonly notificationTopic?: { readonly env: { readonly region: string } };
}

/** The failover options `checkDrProps` reads. */
export interface FailoverFacts {
  readonly stepTimeout?: Duration;
  readonly hostedZone?: { readonly hostedZoneId: string };
  readonly recordName?: string;
}

/** The primary stack, the DR region, the RPO and the options of a CrossRegionDr. */
export function checkDrProps(scope: IConstruct, primary: Stack, props: DrPropsFacts, failover: FailoverFacts): void {
  if (Token.isUnresolved(primary.region) || Token.isUnresolved(primary.account)) {
    fail(scope, 'the primary stack env', `{ account: ${primary.account}, region: ${primary.region} }`,
      'CrossRegionDr needs a primary stack with a concrete account and region (set env on the stack)');
  }
  checkRegionName(scope, 'drRegion', props.drRegion);
  if (props.drRegion === primary.region) {
    fail(scope, 'drRegion', `'${props.drRegion}'`, 'the DR region must differ from the primary region');
  }
  if (!Token.isUnresolved(props.rpo) && props.rpo.toMilliseconds() < 1000) {
    fail(scope, 'rpo', describeDuration(props.rpo), 'an RPO is at least 1 second');
  }
  const step = failover.stepTimeout;
  if (step !== undefined && !Token.isUnresolved(step)) {
    const ms = step.toMilliseconds();
    if (ms % 60_000 !== 0 || ms < 60_000 || ms > 15 * 60_000) {
      fail(scope, 'failover.stepTimeout', describeDuration(step), 'the failover step is a Lambda function: a whole number of minutes from 1 to 15');
    }
  }
  const zoneId = failover.hostedZone?.hostedZoneId;
  if (zoneId !== undefined && Token.isUnresolved(zoneId)) {
    fail(scope, 'failover.hostedZone', '(a zone whose id is a token)', 'the runbook lives in the DR region and CloudFormation references do not '
      + "cross regions: import the zone with its literal id, e.g. route53.HostedZone.fromHostedZoneId(this, 'Zone', 'Z0123456789ABC')");
  }
  if (zoneId !== undefined && !failover.recordName) {
    fail(scope, 'failover.recordName', 'undefined', 'the Route 53 step of the runbook changes a record of failover.hostedZone: name it with recordName');
  }
  const interval = props.readinessInterval;
  if (interval && !Token.isUnresolved(interval) && (interval.toMilliseconds() < 60_000 || interval.toMilliseconds() % 60_000 !== 0)) {
    fail(scope, 'readinessInterval', describeDuration(interval), 'a whole number of minutes, at least 1');
  }
  const topicRegion = props.notificationTopic?.env.region;
  if (topicRegion && !Token.isUnresolved(topicRegion) && topicRegion !== props.drRegion) {
    fail(scope, 'notificationTopic', `a topic in ${topicRegion}`,
      `DR alarms must work while the primary region is down: pass a topic in the DR region (${props.drRegion})`);
  }
}

/**
 * A region this aws-cdk-lib knows. A well-formed typo ('us-wset-2') would otherwise
 * reach CloudFormation, which fails the DR stacks only at deploy time.
 */
export function checkRegionName(scope: IConstruct, prop: string, region: string): void {
  if (Token.isUnresolved(region)) {
    fail(scope, prop, '(token)', 'the region must be known at synth: the DR stacks are created in it');
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    fail(scope, prop, `'${region}'`, "expected an AWS region name such as 'us-west-2'");
  }
  if (!RegionInfo.regions.some((r) => r.name === region)) {
    const close = RegionInfo.regions.map((r) => r.name).filter((r) => r.split('-')[0] === region.split('-')[0]).sort();
    fail(scope, prop, `'${region}'`, `not a region this aws-cdk-lib knows${close.length > 0 ? ` (in that geography: ${close.join(', ')})` : ''}; `
      + 'if it is a region AWS opened recently, upgrade aws-cdk-lib');
  }
}

/**
 * Replicated buckets per CrossRegionDr: each adds a logging grant to the DR access-log bucket's
 * policy (20 KB at most), a rule to the readiness handler's environment (4 KB at most) and
 * resources to the DR foundation stack (500 at most); 20 keeps all three well inside.
 */
export const MAX_REPLICATED_BUCKETS = 20;

export function checkReplicatedBucketCount(scope: IConstruct, count: number): void {
  if (count <= MAX_REPLICATED_BUCKETS) return;
  fail(scope, 'replicated buckets', String(count), `one CrossRegionDr replicates at most ${MAX_REPLICATED_BUCKETS} buckets (the DR access-log `
    + 'bucket policy, the readiness environment and the DR stack would outgrow their AWS limits): use another CrossRegionDr for more');
}
