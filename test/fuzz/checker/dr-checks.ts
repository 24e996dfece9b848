import { readCron } from './cron';
import { BackupFacts } from './facts';
import { AppModel, ModelResource } from '../../judges/cfn/app-model';

/**
 * A DR setup against its declared RPO, read from the readiness function's
 * configuration (RPO_SECONDS, DR_REGION, REPLICATION, DATABASES, DR_VAULT_NAME),
 * which is what the deployed handler measures:
 *
 * - the DR region differs from the primary, and the readiness function runs in it;
 * - every replicated bucket has its rule, enabled, with Replication Time Control
 *   (15 minutes) and its metrics (S3 requires them with RTC), into a versioned bucket
 *   of the DR region (object-locked when the source is; under a KMS key when KMS
 *   objects are replicated); every rule of the configuration has a filter and a
 *   priority (S3 rejects a mix of schemas) with distinct priorities; the declared RPO
 *   is at least the 15 minutes RTC can promise;
 * - backup copies into the DR vault come from a rule that runs at least once per RPO when they are the only
 *   mechanism (replication or databases present: the copies are a second line);
 * - database secondaries are where readiness looks for them, joined to their source.
 * S3 facts: Amazon S3 User Guide, "Replication Time Control", "Replication configuration".
 */

const RTC_MINUTES = 15;

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function parseJson(value: unknown): any[] {
  try {
    return JSON.parse(String(value ?? '[]'));
  } catch {
    return [];
  }
}

function checkReplication(app: AppModel, where: string, entry: any, drRegion: string, rpoSeconds: number): string[] {
  const out: string[] = [];
  // Without a name (a bucket CloudFormation names), the handler finds the source at run time by the
  // destination bucket and rule id: so must the checker, and exactly one bucket of the app must match.
  const candidates = entry.sourceBucket !== undefined ? [app.bucket(entry.sourceBucket)].filter((b) => b !== undefined)
    : app.ofType('AWS::S3::Bucket').filter((b) => asList(b.props.ReplicationConfiguration?.Rules).some((r: any) =>
      r.Id === entry.ruleId && app.bucket(String(r.Destination?.Bucket))?.ref === entry.destinationBucket));
  if (candidates.length !== 1) {
    return [`${where}: replicated bucket ${entry.sourceBucket ?? `(unnamed, rule ${entry.ruleId} to ${entry.destinationBucket})`} `
      + `matches ${candidates.length} buckets of the app, not one`];
  }
  const source = candidates[0]!;
  const config = source.props.ReplicationConfiguration;
  const rules: any[] = asList(config?.Rules);
  const rule = rules.find((r) => r.Id === entry.ruleId);
  const at = `${where}: bucket ${entry.sourceBucket} rule ${entry.ruleId}`;
  if (!rule) return [`${at} is missing from its ReplicationConfiguration`];
  if (rule.Status !== 'Enabled') out.push(`${at} is not enabled`);
  const d = rule.Destination ?? {};
  if (d.ReplicationTime?.Status !== 'Enabled' || Number(d.ReplicationTime?.Time?.Minutes) !== RTC_MINUTES) {
    out.push(`${at} has no Replication Time Control of ${RTC_MINUTES} minutes`);
  }
  if (d.Metrics?.Status !== 'Enabled' || Number(d.Metrics?.EventThreshold?.Minutes) !== RTC_MINUTES) out.push(`${at} has RTC without its metrics`);
  if (rpoSeconds < RTC_MINUTES * 60) out.push(`${at}: the declared RPO ${rpoSeconds} s is below what RTC promises (${RTC_MINUTES} min)`);
  const destination = app.bucket(String(d.Bucket));
  if (!destination) {
    out.push(`${at}: destination ${d.Bucket} is not a bucket of the app`);
  } else {
    if (destination.stack.region !== drRegion) out.push(`${at}: destination is in ${destination.stack.region}, not the DR region ${drRegion}`);
    const locked = (b: ModelResource) => b.props.ObjectLockEnabled === true || b.props.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
    if (destination.props.VersioningConfiguration?.Status !== 'Enabled' && !locked(destination)) out.push(`${at}: destination bucket is not versioned`);
    if (locked(source) && !locked(destination)) out.push(`${at}: the source is object-locked, the destination is not`);
    if (destination.ref !== entry.destinationBucket) out.push(`${at}: readiness measures ${entry.destinationBucket}, the rule writes ${destination.ref}`);
  }
  if (rule.SourceSelectionCriteria?.SseKmsEncryptedObjects?.Status === 'Enabled' && !d.EncryptionConfiguration?.ReplicaKmsKeyID) {
    out.push(`${at} replicates KMS-encrypted objects without a replica key`);
  }
  if (rules.some((r) => r.Filter === undefined || r.Priority === undefined)) out.push(`${where}: bucket ${entry.sourceBucket} mixes replication schemas`);
  const priorities = rules.map((r) => r.Priority);
  if (new Set(priorities).size !== priorities.length) out.push(`${where}: bucket ${entry.sourceBucket} has two rules of one priority`);
  if (!app.role(String(config.Role))) out.push(`${where}: bucket ${entry.sourceBucket} replicates as ${config.Role}, not a role of the app`);
  return out;
}

function checkDatabase(app: AppModel, where: string, db: any, primaryRegion: string, drRegion: string): string[] {
  const at = `${where}: ${db.kind} ${db.identifier}`;
  if (db.region !== drRegion) return [`${at} is measured in ${db.region}, not ${drRegion}`];
  const inDr = (r: ModelResource) => r.stack.region === drRegion;
  if (db.kind === 'rds-replica') {
    const replica = app.ofType('AWS::RDS::DBInstance').find((r) => inDr(r) && r.ref === db.identifier);
    if (!replica) return [`${at} is not a DB instance of the DR region`];
    const out: string[] = [];
    const sourceArn = String(replica.props.SourceDBInstanceIdentifier);
    const source = app.ofType('AWS::RDS::DBInstance').find((r) => r.attr('DBInstanceArn') === sourceArn);
    if (!source || source.stack.region !== primaryRegion) out.push(`${at}: source ${sourceArn} is not a DB instance of the primary region`);
    else if (source.props.StorageEncrypted !== true) out.push(`${at}: its source is not encrypted`);
    if (replica.props.SourceRegion !== primaryRegion) out.push(`${at}: SourceRegion is ${replica.props.SourceRegion}`);
    if (!String(replica.props.KmsKeyId ?? '').includes(`:kms:${drRegion}:`)) out.push(`${at}: KmsKeyId ${replica.props.KmsKeyId} is not a key of ${drRegion}`);
    return out;
  }
  if (db.kind === 'aurora-global') {
    const secondary = app.ofType('AWS::RDS::DBCluster').find((r) => inDr(r) && r.ref === db.identifier);
    if (!secondary) return [`${at} is not a DB cluster of the DR region`];
    const out: string[] = [];
    const global = app.ofType('AWS::RDS::GlobalCluster').find((g) => g.ref === secondary.props.GlobalClusterIdentifier);
    const source = global && app.ofType('AWS::RDS::DBCluster').find((c) => c.attr('DBClusterArn') === global.props.SourceDBClusterIdentifier);
    if (!source || source.stack.region !== primaryRegion) {out.push(`${at}: joins ${secondary.props.GlobalClusterIdentifier}, whose source is not a cluster of ${primaryRegion}`);} else if (source.props.Engine !== secondary.props.Engine || source.props.EngineVersion !== secondary.props.EngineVersion) {
      out.push(`${at}: runs ${secondary.props.Engine} ${secondary.props.EngineVersion}, its source ${source.props.Engine} ${source.props.EngineVersion}`);
    }
    if (secondary.props.MasterUsername !== undefined || secondary.props.MasterUserPassword !== undefined) out.push(`${at}: a secondary cluster carries credentials`);
    return out;
  }
  if (db.kind === 'dynamodb-global') {
    const table = app.ofType('AWS::DynamoDB::GlobalTable').find((t) => t.ref === db.identifier);
    if (!table) return [`${at} is not a global table of the app`];
    return asList<any>(table.props.Replicas).some((r) => r.Region === drRegion) ? [] : [`${at} has no replica in ${drRegion}`];
  }
  return [`${at}: unknown database kind`];
}

export function checkDr(app: AppModel, facts: BackupFacts): string[] {
  const out: string[] = [];
  for (const fn of app.ofType('AWS::Lambda::Function')) {
    const env = fn.props.Environment?.Variables ?? {};
    if (env.RPO_SECONDS === undefined) continue;
    const where = `readiness ${fn.stack.stackName}/${fn.logicalId}`;
    const rpoSeconds = Number(env.RPO_SECONDS);
    const drRegion = String(env.DR_REGION);
    const primaryRegion = String(env.PRIMARY_REGION);
    if (!(rpoSeconds >= 1)) out.push(`${where}: RPO_SECONDS ${env.RPO_SECONDS} is not a positive number`);
    if (drRegion === primaryRegion) out.push(`${where}: the DR region is the primary region ${drRegion}`);
    if (fn.stack.region !== drRegion) out.push(`${where}: runs in ${fn.stack.region}, not the DR region ${drRegion}`);
    for (const entry of parseJson(env.REPLICATION)) out.push(...checkReplication(app, where, entry, drRegion, rpoSeconds));
    for (const db of parseJson(env.DATABASES)) out.push(...checkDatabase(app, where, db, primaryRegion, drRegion));
    if (env.DR_VAULT_NAME) {
      if (!facts.vaults.some((v) => v.name === env.DR_VAULT_NAME && v.region === drRegion)) out.push(`${where}: DR vault ${env.DR_VAULT_NAME} is not a vault of ${drRegion}`);
      const copying = facts.plans.flatMap((p) => p.rules)
        .filter((r) => r.copies.some((c) => c.destinationArn.endsWith(`:backup-vault:${env.DR_VAULT_NAME}`) && c.destinationArn.split(':')[3] === drRegion));
      const best = Math.min(...copying.map((r) => readCron(r.schedule).maxGapMinutes));
      // Copies are held to the RPO only where they are the DR's sole mechanism: with replicated buckets or
      // databases in the configuration, they are the second line (the library warns for what relies on them alone).
      const soleMechanism = parseJson(env.REPLICATION).length === 0 && parseJson(env.DATABASES).length === 0;
      if (soleMechanism && copying.length > 0 && best * 60 > rpoSeconds) out.push(`${where}: the most frequent copy into the DR vault runs every ${best} minutes, over the RPO of ${rpoSeconds} s`);
    }
  }
  return out;
}
