import { publishToTopic, invokeFunction } from './deliver';
import { Edge, serviceActor, unproven } from './edge';
import { AppModel } from '../cfn/app-model';

/** CloudWatch alarm actions (ALARM, OK, INSUFFICIENT_DATA): CloudWatch publishes to SNS topics, or invokes Lambda functions. */
export function alarmEdges(app: AppModel): Edge[] {
  const edges: Edge[] = [];
  for (const alarm of [...app.ofType('AWS::CloudWatch::Alarm'), ...app.ofType('AWS::CloudWatch::CompositeAlarm')]) {
    const alarmArn = alarm.attr('Arn');
    for (const property of ['AlarmActions', 'OKActions', 'InsufficientDataActions']) {
      for (const action of (alarm.props[property] ?? []) as string[]) {
        const kind = `alarm ${property}`;
        if (/^arn:[^:]+:sns:/.test(action)) {
          const d = publishToTopic(app, serviceActor('cloudwatch.amazonaws.com'), alarm.stack, action, alarmArn);
          edges.push({ kind, source: alarm, target: d.target, checks: d.checks });
        } else if (/^arn:[^:]+:lambda:/.test(action)) {
          const d = invokeFunction(app, serviceActor('lambda.alarms.cloudwatch.amazonaws.com'), alarm.stack, action, alarmArn);
          edges.push({ kind, source: alarm, target: d.target, checks: d.checks });
        } else {
          edges.push({ kind, source: alarm, target: action, checks: [unproven(`no rule of the checker judges the alarm action ${action}`)] });
        }
      }
    }
  }
  return edges;
}
