import * as fs from 'fs';
import * as path from 'path';
import { AppModel, StackInput } from './cfn/app-model';
import { DeliveryJudgement, discoverEdges, judgeDeliveryPaths } from './delivery-paths';
import { appSources } from './synth/app-catalog';
import { SynthesizedApp, synthesizedApps } from './synth/synthesized-apps';

/**
 * The delivery-path checker over every example and the coverage app: every edge
 * where a service acts on the library's behalf must be allowed by every policy it
 * needs. Failing edges are listed one per line. Seeded broken edges prove that the
 * checker sees what it claims to see; a hand-written template whose deliveries are
 * all correct proves that it does not report what is not there.
 */
jest.setTimeout(10 * 60_000);

const APPS = appSources().map((s) => s.name);
let apps: SynthesizedApp[] = [];
const judgements = new Map<string, DeliveryJudgement>();

function app(name: string): SynthesizedApp {
  const found = apps.find((a) => a.name === name);
  if (!found) throw new Error(`no synthesized app ${name}`);
  return found;
}

/** The app's model, after `mutate` has edited copies of its templates (stack name -> template). */
function seeded(name: string, mutate: (templates: Record<string, any>) => void): AppModel {
  const stacks: StackInput[] = app(name).stacks.map((s) => ({ ...s, template: JSON.parse(JSON.stringify(s.template)) }));
  mutate(Object.fromEntries(stacks.map((s) => [s.stackName, s.template])));
  return new AppModel(name, stacks);
}

function resourcesOfType(template: any, type: string): Array<[string, any]> {
  return Object.entries<any>(template.Resources ?? {}).filter(([, r]) => r.Type === type);
}

function principals(statement: any): string[] {
  const p = statement.Principal;
  return typeof p === 'string' ? [p] : [p?.Service, p?.AWS].flat().filter((x) => x !== undefined).map((x) => JSON.stringify(x));
}

beforeAll(async () => {
  apps = synthesizedApps();
  for (const a of apps) {
    if (!a.error) judgements.set(a.name, await judgeDeliveryPaths(new AppModel(a.name, a.stacks)));
  }
  const rows = [...judgements.values()].map((j) => `  ${j.app.padEnd(20)} ${String(j.edges).padStart(5)} edges ${String(j.checks).padStart(5)} checks ${String(j.findings.length).padStart(4)} findings`);
  console.log(`Delivery paths evaluated per app:\n${rows.join('\n')}`);
});

describe('every delivery path of every app is allowed', () => {
  test.each(APPS)('%s', (name) => {
    expect(app(name).error).toBeUndefined();
    const judgement = judgements.get(name)!;
    expect(judgement.edges).toBeGreaterThan(0);
    expect(judgement.findings).toEqual([]);
  });
});

test('the coverage app gives the checker an edge of every kind it judges', () => {
  const kinds = new Set(discoverEdges(new AppModel('all-options', app('all-options').stacks)).map((e) => e.kind));
  const expected = [
    /^alarm AlarmActions$/, /^alarm OKActions$/, /^rule target$/, /^rule target dead-letter queue$/, /^function dead-letter queue$/,
    /^function publishes/, /^function writes logs$/, /^event source mapping$/, /^vault notifications$/, /^report delivery$/,
    /^copy job/, /^backup job/, /^restore test/, /^config delivery$/, /^server access logs$/, /^inventory /, /^replication rule /,
    /^Region switch step /, /^flow logs to S3$/, /^flow logs to CloudWatch Logs$/, /^encrypted log group$/,
    /^lambda\.amazonaws\.com assumes role$/, /^backup\.amazonaws\.com assumes role$/, /^config\.amazonaws\.com assumes role$/,
    /^arc-region-switch\.amazonaws\.com assumes role$/, /^s3\.amazonaws\.com assumes role$/, /^vpc-flow-logs\.amazonaws\.com assumes role$/,
    /^monitoring\.rds\.amazonaws\.com assumes role$/, /^health check consumer$/,
  ];
  expect(expected.filter((k) => ![...kinds].some((kind) => k.test(kind))).map(String)).toEqual([]);
});

describe('seeded broken edges are reported', () => {
  test('a topic policy without the CloudWatch statement: each alarm on the topic is denied sns:Publish; with it, none is', async () => {
    const cloudwatchDenied = (j: DeliveryJudgement) => j.findings.filter((f) => f.includes('(AWS::CloudWatch::Alarm)') && f.includes('cloudwatch.amazonaws.com is denied sns:Publish'));
    const without = await judgeDeliveryPaths(seeded('audited-vault', (templates) => {
      for (const t of Object.values(templates)) {
        for (const [, policy] of resourcesOfType(t, 'AWS::SNS::TopicPolicy')) {
          policy.Properties.PolicyDocument.Statement = policy.Properties.PolicyDocument.Statement
            .filter((s: any) => !principals(s).some((p) => p.includes('cloudwatch.amazonaws.com')));
        }
      }
    }));
    expect(cloudwatchDenied(without).length).toBeGreaterThanOrEqual(2);

    const withStatement = await judgeDeliveryPaths(seeded('audited-vault', (templates) => {
      for (const t of Object.values(templates)) {
        for (const [, policy] of resourcesOfType(t, 'AWS::SNS::TopicPolicy')) {
          policy.Properties.PolicyDocument.Statement.push({
            Sid: 'SeedCloudWatchAlarms',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: policy.Properties.Topics[0],
            Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*' } } },
          });
        }
      }
    }));
    expect(cloudwatchDenied(withStatement)).toEqual([]);
  });

  test('a queue key without events.amazonaws.com: EventBridge is denied the key when it sends to the queue', async () => {
    const eventsDeniedKey = (j: DeliveryJudgement) => j.findings.filter((f) => f.includes('(AWS::Events::Rule)') && /events\.amazonaws\.com is denied kms:(GenerateDataKey|Decrypt)/.test(f));
    const before = eventsDeniedKey(judgements.get('document-backup')!).filter((f) => f.includes('JobEventQueue'));
    expect(before).toEqual([]);
    const seededJudgement = await judgeDeliveryPaths(seeded('document-backup', (templates) => {
      for (const t of Object.values(templates)) {
        for (const [, key] of resourcesOfType(t, 'AWS::KMS::Key')) {
          key.Properties.KeyPolicy.Statement = key.Properties.KeyPolicy.Statement
            .filter((s: any) => !principals(s).some((p) => p.includes('events.amazonaws.com')));
        }
      }
    }));
    expect(eventsDeniedKey(seededJudgement).filter((f) => f.includes('JobEventQueue')).length).toBeGreaterThanOrEqual(2);
  });

  test('a Lambda role without KMS on its dead-letter queue key: the function cannot dead-letter', async () => {
    const dlqDenied = (j: DeliveryJudgement) => j.findings.filter((f) => f.includes('(AWS::Lambda::Function) ->') && f.includes('DeadLetterQueue')
      && /is denied kms:(GenerateDataKey|Decrypt)/.test(f));
    expect(dlqDenied(judgements.get('audited-vault')!)).toEqual([]);
    const seededJudgement = await judgeDeliveryPaths(seeded('audited-vault', (templates) => {
      for (const t of Object.values(templates)) {
        for (const [, policy] of resourcesOfType(t, 'AWS::IAM::ManagedPolicy')) {
          policy.Properties.PolicyDocument.Statement = policy.Properties.PolicyDocument.Statement
            .filter((s: any) => ![s.Action].flat().some((a: string) => a.startsWith('kms:')));
        }
      }
    }));
    expect(dlqDenied(seededJudgement).length).toBeGreaterThanOrEqual(2);
  });

  test('an AWS Config delivery channel into an object-locked bucket', async () => {
    const locked = (j: DeliveryJudgement) => j.findings.filter((f) => f.includes('(AWS::Config::DeliveryChannel)') && f.includes('S3 Object Lock'));
    expect(locked(judgements.get('sox-backup-estate')!)).toEqual([]);
    const seededJudgement = await judgeDeliveryPaths(seeded('sox-backup-estate', (templates) => {
      for (const t of Object.values(templates)) {
        for (const [, channel] of resourcesOfType(t, 'AWS::Config::DeliveryChannel')) {
          const bucket = t.Resources[channel.Properties.S3BucketName.Ref];
          bucket.Properties.ObjectLockEnabled = true;
          bucket.Properties.ObjectLockConfiguration = { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } };
        }
      }
    }));
    expect(locked(seededJudgement)).toHaveLength(1);
  });
});

test('positive control: a hand-written template whose deliveries are all correct yields edges and zero findings', async () => {
  const template = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'all-correct.template.json'), 'utf8'));
  const model = new AppModel('control', [{ id: 'Control', stackName: 'Control', account: '123456789012', region: 'eu-west-1', template }]);
  const judgement = await judgeDeliveryPaths(model);
  expect(judgement.findings).toEqual([]);
  expect(judgement.edgesByKind).toEqual({
    'alarm AlarmActions': 1,
    'alarm OKActions': 1,
    'rule target': 2,
    'rule target dead-letter queue': 1,
    'function dead-letter queue': 1,
    'function publishes': 1,
    'function writes logs': 1,
    'event source mapping': 1,
    'encrypted log group': 1,
    'lambda.amazonaws.com assumes role': 1,
  });
});
