import { invokeFunction, publishToTopic, sendToQueue } from './deliver';
import { Actor, Check, Edge, constraint, roleActor, serviceActor, unproven } from './edge';
import { assumeRole } from './roles';
import { AppModel } from '../cfn/app-model';

/**
 * EventBridge rule targets (SNS, SQS, Lambda; as the service, or as the target's
 * RoleArn) and each target's dead-letter queue. SNS, SQS and Lambda targets must be
 * in the rule's region (only event buses and API destinations cross regions).
 */
export function eventRuleEdges(app: AppModel): Edge[] {
  const edges: Edge[] = [];
  const events = serviceActor('events.amazonaws.com');
  for (const rule of app.ofType('AWS::Events::Rule')) {
    const ruleArn = rule.attr('Arn');
    for (const target of (rule.props.Targets ?? []) as any[]) {
      const arn = String(target.Arn);
      const service = /^arn:[^:]+:([^:]+):([^:]*):/.exec(arn);
      let actor: Actor = events;
      const roleChecks: Check[] = [];
      if (target.RoleArn) {
        const role = app.role(String(target.RoleArn));
        if (!role) {
          edges.push({ kind: 'rule target', source: rule, target: arn, checks: [unproven(`the target's role ${target.RoleArn} is not a role of this app`)] });
          continue;
        }
        actor = roleActor(app, role);
        roleChecks.push(...assumeRole('events.amazonaws.com', rule.stack, role, ruleArn));
      }
      const region = [constraint(!service || service[2] === '' || service[2] === rule.stack.region,
        `the target ${arn} is in ${service?.[2]}, the rule in ${rule.stack.region}: EventBridge delivers to SNS, SQS and Lambda in its own region only`)];
      const deliver = service?.[1] === 'sns' ? publishToTopic
        : service?.[1] === 'sqs' ? sendToQueue
          : service?.[1] === 'lambda' ? invokeFunction
            : undefined;
      if (!deliver) {
        edges.push({ kind: 'rule target', source: rule, target: arn, checks: [unproven(`no rule of the checker judges EventBridge targets of service ${service?.[1] ?? arn}`)] });
      } else {
        const d = deliver(app, actor, rule.stack, arn, ruleArn);
        edges.push({ kind: 'rule target', source: rule, target: d.target, checks: [...roleChecks, ...region, ...d.checks] });
      }
      const dlq = target.DeadLetterConfig?.Arn;
      if (dlq !== undefined) {
        const d = sendToQueue(app, events, rule.stack, String(dlq), ruleArn);
        const sameRegion = constraint(String(dlq).split(':')[3] === rule.stack.region,
          `the dead-letter queue ${dlq} is not in the rule's region ${rule.stack.region}`);
        edges.push({ kind: 'rule target dead-letter queue', source: rule, target: d.target, checks: [sameRegion, ...d.checks] });
      }
    }
  }
  return edges;
}
