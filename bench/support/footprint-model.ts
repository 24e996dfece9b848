/**
 * What a synthesized app deploys that matters for cost and operations, counted from
 * its templates, and its fixed monthly cost at the list prices of bench/prices.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SynthesizedStack, allResources } from './cloud-assembly';
import { BENCH_DIR, ROOT } from './paths';

export interface Counts {
  stacks: number;
  resources: number;
  kmsKeys: number;
  alarms: number;
  alarmMetrics: number;
  dashboards: number;
  lambdaFunctions: number;
  logGroups: number;
  configRecorders: number;
  frameworks: number;
  controls: number;
  reportPlans: number;
  secrets: number;
  healthChecks: number;
  natGateways: number;
  interfaceEndpoints: number;
  interfaceEndpointAzs: number;
  regionSwitchPlans: number;
  dbInstances: number;
  sqsQueues: number;
  snsTopics: number;
  buckets: number;
  tables: number;
  vaults: number;
  scheduledRules: number;
  replicationRules: number;
  iamRoles: number;
  iamManagedPolicies: number;
}

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unitPrice: number | null;
  readonly monthly: number | null;
  readonly verification: string;
  readonly note?: string;
}

export interface Footprint {
  readonly counts: Counts;
  readonly dbInstanceClasses: string[];
  readonly cost: {
    readonly lines: CostLine[];
    /** Lines priced from a primary or secondary source. */
    readonly verifiedMonthly: number;
    /** Also counting prices marked unverified. */
    readonly allPricedMonthly: number;
    /** Fixed items with no price at all (counted, not priced). */
    readonly unpriced: string[];
    /** Year-3 figure: every rotating key after its second rotation (verified lines only). */
    readonly verifiedMonthlyYear3: number;
  };
}

/** Assumptions of the scheduled-work lines, stated in the results. */
export const SCHEDULED_ASSUMPTIONS = {
  /** Average duration assumed for a scheduled handler run (not measured: no AWS here). */
  secondsPerRun: 2,
  hoursPerMonth: 730,
  /** Custom metrics the reconciler publishes every run (RECONCILER_METRICS in lambda-src/catalog-reconciler.lambda.ts). */
  reconcilerMetrics: reconcilerMetricCount(),
  /**
   * Dimensionless metrics readiness publishes every run (lambda-src/readiness/evaluate.ts: MissingRecoveryPoints,
   * BackupOptInMissing, RpoBreaches, ChecksUnknown, and MaxRecoveryPointAgeSeconds when backups are copied), plus one
   * per replication rule and per database; per-resource RecoveryPointAgeSeconds are not counted (they depend on what is backed up).
   */
  readinessBaseMetrics: 4,
} as const;

function reconcilerMetricCount(): number {
  const file = path.join(ROOT, 'lambda-src', 'catalog-reconciler', 'handler.ts');
  const match = /RECONCILER_METRICS\s*=\s*\[([^\]]*)\]/.exec(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  // Loud, not NaN: a moved handler must not turn every cost into "not a number".
  if (!match) throw new Error(`RECONCILER_METRICS not found in ${path.relative(ROOT, file)}: update bench/support/footprint-model.ts`);
  return (match[1].match(/'[^']+'/g) ?? []).length;
}

interface Price { price: number | null; unit: string; verification: string }
export function loadPrices(): { fixed: Record<string, Price>; variable: unknown[]; [k: string]: unknown } {
  return JSON.parse(fs.readFileSync(path.join(BENCH_DIR, 'prices.json'), 'utf8'));
}

type Resource = ReturnType<typeof allResources>[number];

export function countResources(resources: readonly Resource[], stacks: number): Counts {
  const c: Counts = {
    stacks,
    resources: resources.length,
    kmsKeys: 0,
    alarms: 0,
    alarmMetrics: 0,
    dashboards: 0,
    lambdaFunctions: 0,
    logGroups: 0,
    configRecorders: 0,
    frameworks: 0,
    controls: 0,
    reportPlans: 0,
    secrets: 0,
    healthChecks: 0,
    natGateways: 0,
    interfaceEndpoints: 0,
    interfaceEndpointAzs: 0,
    regionSwitchPlans: 0,
    dbInstances: 0,
    sqsQueues: 0,
    snsTopics: 0,
    buckets: 0,
    tables: 0,
    vaults: 0,
    scheduledRules: 0,
    replicationRules: 0,
    iamRoles: 0,
    iamManagedPolicies: 0,
  };
  for (const { resource: r } of resources) {
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::KMS::Key': case 'AWS::KMS::ReplicaKey': c.kmsKeys++; break;
      case 'AWS::CloudWatch::Alarm': c.alarms++; c.alarmMetrics += Array.isArray(p.Metrics) ? p.Metrics.filter((m: any) => m.MetricStat).length || 1 : 1; break;
      case 'AWS::CloudWatch::Dashboard': c.dashboards++; break;
      case 'AWS::Lambda::Function': c.lambdaFunctions++; break;
      case 'AWS::Logs::LogGroup': c.logGroups++; break;
      case 'AWS::Config::ConfigurationRecorder': c.configRecorders++; break;
      case 'AWS::Backup::Framework': c.frameworks++; c.controls += Array.isArray(p.FrameworkControls) ? p.FrameworkControls.length : 0; break;
      case 'AWS::Backup::ReportPlan': c.reportPlans++; break;
      case 'AWS::SecretsManager::Secret': c.secrets++; break;
      case 'AWS::Route53::HealthCheck': c.healthChecks++; break;
      case 'AWS::EC2::NatGateway': c.natGateways++; break;
      case 'AWS::EC2::VPCEndpoint':
        if (p.VpcEndpointType === 'Interface') { c.interfaceEndpoints++; c.interfaceEndpointAzs += Array.isArray(p.SubnetIds) ? p.SubnetIds.length : 1; }
        break;
      case 'AWS::ARCRegionSwitch::Plan': c.regionSwitchPlans++; break;
      case 'AWS::RDS::DBInstance': c.dbInstances++; break;
      case 'AWS::SQS::Queue': c.sqsQueues++; break;
      case 'AWS::SNS::Topic': c.snsTopics++; break;
      case 'AWS::S3::Bucket': c.buckets++; c.replicationRules += p.ReplicationConfiguration?.Rules?.length ?? 0; break;
      case 'AWS::DynamoDB::Table': case 'AWS::DynamoDB::GlobalTable': c.tables++; break;
      case 'AWS::Backup::BackupVault': case 'AWS::Backup::LogicallyAirGappedBackupVault': c.vaults++; break;
      case 'AWS::Events::Rule': if (p.ScheduleExpression) c.scheduledRules++; break;
      case 'AWS::IAM::Role': c.iamRoles++; break;
      case 'AWS::IAM::ManagedPolicy': c.iamManagedPolicies++; break;
    }
  }
  return c;
}

/** Scheduled Lambda runs per month: rate() rules that target a function of these resources. */
function scheduledRuns(resources: readonly Resource[]): { runs: number; memoryGb: number }[] {
  const functions = new Map(resources.filter((x) => x.resource.Type === 'AWS::Lambda::Function').map((x) => [x.id, x.resource]));
  const out: { runs: number; memoryGb: number }[] = [];
  for (const { resource: r } of resources) {
    const expr: unknown = r.Type === 'AWS::Events::Rule' ? r.Properties?.ScheduleExpression : undefined;
    const m = typeof expr === 'string' ? /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expr) : null;
    if (!m) continue;
    const minutes = Number(m[1]) * (m[2].startsWith('minute') ? 1 : m[2].startsWith('hour') ? 60 : 1440);
    for (const target of r.Properties?.Targets ?? []) {
      const fnId = target.Arn?.['Fn::GetAtt']?.[0];
      const fn = fnId ? functions.get(fnId) : undefined;
      if (fn) out.push({ runs: (SCHEDULED_ASSUMPTIONS.hoursPerMonth * 60) / minutes, memoryGb: (fn.Properties?.MemorySize ?? 128) / 1024 });
    }
  }
  return out;
}

function customMetrics(resources: readonly Resource[], counts: Counts): number {
  let n = 0;
  for (const { resource: r } of resources) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const env = r.Properties?.Environment?.Variables ?? {};
    if (env.POWERTOOLS_SERVICE_NAME === 'catalog-reconciler') n += SCHEDULED_ASSUMPTIONS.reconcilerMetrics;
    if (env.RPO_SECONDS !== undefined) {
      n += SCHEDULED_ASSUMPTIONS.readinessBaseMetrics + (env.DR_VAULT_NAME !== undefined ? 1 : 0);
    }
  }
  // Readiness adds one metric per replication rule and per database secondary it watches.
  const readiness = resources.some((x) => x.resource.Properties?.Environment?.Variables?.RPO_SECONDS !== undefined);
  if (readiness) n += counts.replicationRules + counts.dbInstances;
  return n;
}

export function footprint(resources: readonly Resource[], stacks: number): Footprint {
  const prices = loadPrices().fixed;
  const counts = countResources(resources, stacks);
  const lines: CostLine[] = [];
  const line = (item: string, quantity: number, priceId: string, note?: string) => {
    if (quantity === 0) return;
    const p = prices[priceId];
    lines.push({ item, quantity, unitPrice: p.price, monthly: p.price === null ? null : quantity * p.price, verification: p.verification, note });
  };
  line('KMS customer managed keys (year 1)', counts.kmsKeys, 'kmsKey');
  line('CloudWatch alarm metrics', counts.alarmMetrics, 'cloudwatchAlarmMetric');
  line('CloudWatch dashboards', counts.dashboards, 'cloudwatchDashboard');
  line('Custom metrics published on a schedule', customMetrics(resources, counts), 'cloudwatchCustomMetric',
    `reconciler ${SCHEDULED_ASSUMPTIONS.reconcilerMetrics} per catalog; readiness ${SCHEDULED_ASSUMPTIONS.readinessBaseMetrics}+ per DR`);
  line('Secrets Manager secrets', counts.secrets, 'secretsManagerSecret');
  line('Route 53 health checks', counts.healthChecks, 'route53HealthCheckNonAws');
  const httpsChecks = resources.filter((x) => x.resource.Type === 'AWS::Route53::HealthCheck'
    && /HTTPS/.test(String(x.resource.Properties?.HealthCheckConfig?.Type))).length;
  line('Route 53 health check HTTPS option', httpsChecks, 'route53HealthCheckHttpsOption');
  line('NAT gateways', counts.natGateways, 'natGateway');
  line('Interface VPC endpoint AZs', counts.interfaceEndpointAzs, 'interfaceEndpointAz');
  line('ARC Region switch plans', counts.regionSwitchPlans, 'regionSwitchPlan');
  line('RDS / Aurora DB instances', counts.dbInstances, 'rdsInstance');
  const scheduled = scheduledRuns(resources);
  if (scheduled.length > 0) {
    const runs = scheduled.reduce((n, s) => n + s.runs, 0);
    const gbSeconds = scheduled.reduce((n, s) => n + s.runs * s.memoryGb * SCHEDULED_ASSUMPTIONS.secondsPerRun, 0);
    const monthly = runs * prices.lambdaRequest.price! + gbSeconds * prices.lambdaArmGbSecond.price!;
    lines.push({
      item: 'Scheduled Lambda runs',
      quantity: Math.round(runs),
      unitPrice: null,
      monthly,
      verification: 'unverified',
      note: `${Math.round(runs)} runs/month at an assumed ${SCHEDULED_ASSUMPTIONS.secondsPerRun} s each`,
    });
  }
  const trusted = (l: CostLine) => l.verification === 'primary' || l.verification === 'secondary';
  const sum = (ls: CostLine[]) => ls.reduce((n, l) => n + (l.monthly ?? 0), 0);
  const verifiedMonthly = sum(lines.filter(trusted));
  const rotating = resources.filter((x) => x.resource.Type === 'AWS::KMS::Key' && x.resource.Properties?.EnableKeyRotation === true).length;
  return {
    counts,
    dbInstanceClasses: resources.filter((x) => x.resource.Type === 'AWS::RDS::DBInstance').map((x) => String(x.resource.Properties?.DBInstanceClass ?? '?')),
    cost: {
      lines,
      verifiedMonthly,
      allPricedMonthly: sum(lines),
      unpriced: lines.filter((l) => l.monthly === null).map((l) => `${l.quantity} × ${l.item}`),
      verifiedMonthlyYear3: verifiedMonthly + rotating * (prices.kmsKeyRotatedYear3.price! - prices.kmsKey.price!),
    },
  };
}

/** The resources that belong to the backup estate, by their construct path (`aws:cdk:path`). */
export function estateResources(stacks: readonly SynthesizedStack[], isEstate: (pathSegments: string[], stack: string) => boolean) {
  return allResources(stacks).filter(({ resource, stack }) => {
    const cdkPath = String(resource.Metadata?.['aws:cdk:path'] ?? '');
    return isEstate(cdkPath.split('/'), stack.name);
  });
}
