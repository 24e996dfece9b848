
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { LandingStorage } from '../../../src/backup-system/landing-storage';
import { LandingStorageOptions } from '../../../src/backup-system/landing-storage-options';
import { createEncryptedAlertTopic } from '../../../src/private/encrypted-topic';
import { createAccessLogBucket } from '../../../src/private/secure-bucket';
import { createSecureKey } from '../../../src/private/secure-key';
import { testApp } from '../../support/compliance';

export const ENV = { account: '111111111111', region: 'us-east-1' };
export const PATH = 'LandingStack/Landing';

export interface Fixture {
  readonly stack: Stack;
  readonly landing: LandingStorage;
  readonly table: dynamodb.TableV2;
  readonly topic: sns.Topic;
  readonly logs: s3.Bucket;
  readonly template: Template;
}

export interface FixtureProps {
  readonly options?: LandingStorageOptions;
  readonly tenants?: string[];
  readonly removalPolicy?: RemovalPolicy;
  readonly vpc?: boolean;
}

/** The deps the lead passes in, built the way the library builds them: a CMK-encrypted catalog, the shared log bucket, an encrypted topic. */
export function landingFixture(props: FixtureProps = {}): Fixture {
  const app = testApp();
  const stack = new Stack(app, 'LandingStack', { env: ENV });
  const table = new dynamodb.TableV2(stack, 'Catalog', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryptionV2.customerManagedKey(createSecureKey(stack, 'CatalogKey', { description: 'catalog' })),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
  });
  const logs = createAccessLogBucket(stack, 'AccessLogs', RemovalPolicy.RETAIN);
  const topic = createEncryptedAlertTopic(stack, 'AlarmTopic', createSecureKey(stack, 'AlarmKey', { description: 'alarms' }), 'alarms');
  const vpc = props.vpc ? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }) : undefined;
  const landing = new LandingStorage(stack, 'Landing', props.options ?? {}, {
    accessLogBucket: logs,
    alarmTopic: topic,
    catalogTable: table,
    tenants: props.tenants ?? ['tenant-a', 'tenant-b'],
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    handlerVpc: vpc,
  });
  return { stack, landing, table, topic, logs, get template() { return Template.fromStack(stack); } };
}

export const ref = (construct: { node: { defaultChild?: any } } | any) => ({ Ref: logicalId(construct) });
export const arn = (construct: any) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });
export function logicalId(construct: any): string {
  const cfn = construct.node.defaultChild ?? construct;
  return Stack.of(construct).getLogicalId(cfn);
}

export function resourceOf(template: Template, type: string, id: string): any {
  const resources = template.findResources(type);
  expect(Object.keys(resources)).toContain(id);
  return resources[id];
}
