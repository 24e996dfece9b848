import { consumeQueue, invokeFunction, publishToTopic, sendToQueue, Delivery } from './deliver';
import { Actor, Edge, access, roleActor, unproven } from './edge';
import { AppModel, ModelResource } from '../cfn/app-model';

/** The function's execution role as an actor, or why there is none. */
function executionRole(app: AppModel, fn: ModelResource): Actor | string {
  const role = app.role(String(fn.props.Role));
  return role ? roleActor(app, role) : `the execution role ${fn.props.Role} is not a role of this app`;
}

/** Delivery to an SQS queue, SNS topic or Lambda function named by ARN, acting as `actor`. */
function deliverTo(app: AppModel, actor: Actor, fn: ModelResource, arn: string): Delivery {
  if (/^arn:[^:]+:sqs:/.test(arn)) return sendToQueue(app, actor, fn.stack, arn);
  if (/^arn:[^:]+:sns:/.test(arn)) return publishToTopic(app, actor, fn.stack, arn);
  if (/^arn:[^:]+:lambda:/.test(arn)) return invokeFunction(app, actor, fn.stack, arn);
  return { target: arn, checks: [unproven(`no rule of the checker judges a Lambda destination ${arn}`)] };
}

/**
 * What Lambda does as the function's execution role: dead-letter failed asynchronous
 * invocations, deliver to on-success/on-failure destinations, read its event source
 * queues, write its log group; and what the function code does with the topics its
 * environment names (publish alerts).
 */
export function lambdaEdges(app: AppModel): Edge[] {
  const edges: Edge[] = [];
  for (const fn of app.ofType('AWS::Lambda::Function')) {
    const actor = executionRole(app, fn);
    const add = (kind: string, d: Delivery) => edges.push({ kind, source: fn, target: d.target, checks: d.checks });
    const noRole = (kind: string, target: string) => edges.push({ kind, source: fn, target, checks: [unproven(actor as string)] });

    const dlq = fn.props.DeadLetterConfig?.TargetArn;
    if (dlq !== undefined) {
      if (typeof actor === 'string') noRole('function dead-letter queue', String(dlq));
      else add('function dead-letter queue', deliverTo(app, actor, fn, String(dlq)));
    }

    for (const [name, value] of Object.entries<any>(fn.props.Environment?.Variables ?? {})) {
      const topic = app.byArn(String(value));
      if (topic?.type !== 'AWS::SNS::Topic') continue;
      if (typeof actor === 'string') noRole(`function publishes (${name})`, String(value));
      else add(`function publishes (${name})`, publishToTopic(app, actor, fn.stack, String(value)));
    }

    const logGroupName = fn.props.LoggingConfig?.LogGroup ?? `/aws/lambda/${fn.ref}`;
    if (typeof actor !== 'string') {
      const stream = `arn:${fn.stack.partition}:logs:${fn.stack.region}:${fn.stack.account}:log-group:${logGroupName}:log-stream:2026/01/01/[$LATEST]0123456789abcdef`;
      edges.push({
        kind: 'function writes logs',
        source: fn,
        target: logGroupName,
        checks: [
          access(actor, 'logs:CreateLogStream', stream, fn.stack.account, { 'aws:SecureTransport': 'true' }),
          access(actor, 'logs:PutLogEvents', stream, fn.stack.account, { 'aws:SecureTransport': 'true' }),
        ],
      });
    }
  }

  for (const config of app.ofType('AWS::Lambda::EventInvokeConfig')) {
    const fn = app.lambdaFunction(String(config.props.FunctionName), config.stack.region);
    for (const which of ['OnSuccess', 'OnFailure']) {
      const destination = config.props.DestinationConfig?.[which]?.Destination;
      if (destination === undefined) continue;
      const actor = fn ? executionRole(app, fn) : `the function ${config.props.FunctionName} is not in this app`;
      const d = typeof actor === 'string' ? { target: String(destination), checks: [unproven(actor)] } : deliverTo(app, actor, fn!, String(destination));
      edges.push({ kind: `function ${which} destination`, source: config, target: d.target, checks: d.checks });
    }
  }

  for (const mapping of app.ofType('AWS::Lambda::EventSourceMapping')) {
    const fn = app.lambdaFunction(String(mapping.props.FunctionName), mapping.stack.region);
    const actor = fn ? executionRole(app, fn) : `the function ${mapping.props.FunctionName} is not in this app`;
    const source = String(mapping.props.EventSourceArn);
    let d: Delivery;
    if (typeof actor === 'string') d = { target: source, checks: [unproven(actor)] };
    else if (/^arn:[^:]+:sqs:/.test(source)) d = consumeQueue(app, actor, mapping.stack, source);
    else d = { target: source, checks: [unproven(`no rule of the checker judges event sources like ${source}`)] };
    edges.push({ kind: 'event source mapping', source: mapping, target: d.target, checks: d.checks });
    const onFailure = mapping.props.DestinationConfig?.OnFailure?.Destination;
    if (onFailure !== undefined && fn && typeof actor !== 'string') {
      const f = deliverTo(app, actor, fn, String(onFailure));
      edges.push({ kind: 'event source mapping on-failure destination', source: mapping, target: f.target, checks: f.checks });
    }
  }
  return edges;
}

