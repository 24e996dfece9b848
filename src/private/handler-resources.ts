import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HandlerName, handlerCode, latestNodeRuntime } from './handler-code';
import { ManagedPolicyRole } from './managed-policy-role';
import { deployedValue } from './policy-size';
import { allowLogsToUseKey } from './secure-key';
import { collectViolations } from '../validation/errors';
import { checkEnvironmentSize } from '../validation/handlers';

export interface HandlerResourcesProps {
  /** Encrypts the handler's log group and dead-letter queue. Its policy is extended for CloudWatch Logs. */
  readonly key: kms.IKey;
  readonly description: string;
  /** A physical name, where another region must name the function. @default - generated */
  readonly functionName?: string;
  readonly environment?: Record<string, string>;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  /** Place the function in this VPC (private subnets). */
  readonly vpc?: ec2.IVpc;
}

/** A handler with a least-privilege role, an encrypted log group and an encrypted dead-letter queue. */
export interface HandlerResources {
  readonly fn: lambda.Function;
  readonly role: ManagedPolicyRole;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterQueue: sqs.Queue;
}

/**
 * Creates one of the library's Lambda handlers the way every pack expects it:
 * no AWS-managed policy, a KMS-encrypted log group kept a year, an encrypted
 * TLS-only dead-letter queue for failed asynchronous invocations, JSON logs.
 */
export function createHandler(
  scope: Construct,
  id: string,
  handler: HandlerName,
  props: HandlerResourcesProps,
): HandlerResources {
  const stack = Stack.of(scope);
  allowLogsToUseKey(props.key, stack.region, stack.account, stack.partition);

  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    encryptionKey: props.key,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });

  const role = new ManagedPolicyRole(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Runs ${props.description}`,
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [logGroup.logGroupArn],
  }));

  const deadLetterQueue = new sqs.Queue(scope, `${id}DeadLetterQueue`, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: props.key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    // Lambda and EventBridge, not a queue, send to it: no queue may redrive into it.
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.DENY_ALL },
  });
  Validations.of(deadLetterQueue).acknowledge({
    id: 'cdk-validator-cfnguard::sqs_dlq_check',
    reason: 'This is the dead-letter queue of a Lambda function and its EventBridge rule, not of a queue: its redrive-allow '
      + 'policy denies every source queue, and messages that land here raise the dead-letter alarm instead of moving on.',
  });

  // Lambda writes failed asynchronous invocations to the dead-letter queue as this role.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'DeadLetterQueueKey',
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resources: [props.key.keyArn],
  }));
  const fn = new lambda.Function(scope, id, {
    code: handlerCode(handler),
    handler: 'index.handler',
    runtime: latestNodeRuntime(),
    functionName: props.functionName,
    description: props.description,
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    // Kept from the generated wrappers the handlers once had (SDK v3 reuses connections either way).
    environment: { AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1', ...props.environment },
    timeout: props.timeout ?? Duration.seconds(60),
    memorySize: props.memorySize ?? 256,
    architecture: lambda.Architecture.ARM_64,
    deadLetterQueue,
    vpc: props.vpc,
    vpcSubnets: props.vpc ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : undefined,
  });

  fn.node.addValidation({
    validate: () => collectViolations(() => {
      const variables = deployedValue(Stack.of(fn).resolve((fn.node.defaultChild as lambda.CfnFunction).environment))?.variables ?? {};
      checkEnvironmentSize(fn, variables);
    }),
  });
  const concurrencyReason = 'Reserved concurrency would make the deployment fail in accounts whose unreserved concurrency '
    + 'is at the default minimum; the handler is driven by AWS Backup events, whose rate the backup plan bounds.';
  Validations.of(fn).acknowledge(
    { id: 'HIPAA.Security-LambdaConcurrency', reason: concurrencyReason },
    { id: 'NIST.800.53.R5-LambdaConcurrency', reason: concurrencyReason },
    { id: 'PCI.DSS.321-LambdaConcurrency', reason: concurrencyReason },
  );
  if (!props.vpc) {
    const reason = 'The handler calls only AWS APIs and holds no network listener; pass `handlerVpc` to run it inside a VPC with endpoints.';
    Validations.of(fn).acknowledge(
      { id: 'HIPAA.Security-LambdaInsideVPC', reason },
      { id: 'NIST.800.53.R5-LambdaInsideVPC', reason },
      { id: 'PCI.DSS.321-LambdaInsideVPC', reason },
      { id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason },
    );
  }
  return { fn, role, logGroup, deadLetterQueue };
}

/**
 * An EventBridge target that invokes the handler, retries, then dead-letters the
 * event into the handler's queue. EventBridge writes to that queue as the service,
 * so the queue's key admits EventBridge rules of this account (the queue policy,
 * which aws-cdk-lib writes, admits this rule only).
 */
export function handlerRuleTarget(handler: HandlerResources, options: { retryAttempts: number; maxEventAge?: Duration }): targets.LambdaFunction {
  const stack = Stack.of(handler.fn);
  const key = handler.deadLetterQueue.encryptionMasterKey!;
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowEventBridgeRulesToDeadLetter',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resources: ['*'],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:events:${stack.region}:${stack.account}:rule/*` },
    },
  }));
  return new targets.LambdaFunction(handler.fn, { deadLetterQueue: handler.deadLetterQueue, ...options });
}
