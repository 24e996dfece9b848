import { AppModel } from './cfn/app-model';
import { alarmEdges } from './delivery/alarms';
import { backupEdges } from './delivery/backup';
import { configEdges } from './delivery/config';
import { healthCheckEdges, unjudgedTypeEdges } from './delivery/coverage';
import { Edge } from './delivery/edge';
import { eventRuleEdges } from './delivery/event-rules';
import { lambdaEdges } from './delivery/lambda';
import { logEdges } from './delivery/logs';
import { regionSwitchEdges } from './delivery/region-switch';
import { roleHandoverEdges } from './delivery/roles';
import { s3Edges } from './delivery/s3';
import { AccessDecision, evaluateAccess } from './iam/simulate';

/**
 * The delivery-path checker: from the synthesized templates of an app, discover
 * every edge where an AWS service (or a role handed to one) acts on the library's
 * behalf, and prove each with IAM policy evaluation and AWS's documented
 * constraints. Edges are discovered by resource type and property, never by
 * logical id, so a new alarm, rule or bucket is judged without a change here.
 */

/** Every edge of the app. */
export function discoverEdges(app: AppModel): Edge[] {
  return [
    ...alarmEdges(app),
    ...eventRuleEdges(app),
    ...lambdaEdges(app),
    ...backupEdges(app),
    ...configEdges(app),
    ...s3Edges(app),
    ...regionSwitchEdges(app),
    ...logEdges(app),
    ...roleHandoverEdges(app),
    ...healthCheckEdges(app),
    ...unjudgedTypeEdges(app),
  ];
}

export interface DeliveryJudgement {
  readonly app: string;
  readonly edges: number;
  readonly checks: number;
  /** Edges per kind (the kind's first words), for the report. */
  readonly edgesByKind: Record<string, number>;
  /** One line per failing check: `<app>/<stack>: <source> (<type>) -> <target> : <what is wrong>`. */
  readonly findings: string[];
}

/** Discovers and evaluates every edge of the app. */
export async function judgeDeliveryPaths(app: AppModel): Promise<DeliveryJudgement> {
  const edges = discoverEdges(app);
  const cache = new Map<string, Promise<AccessDecision>>();
  const findings = new Set<string>();
  let checks = 0;
  const edgesByKind: Record<string, number> = {};
  for (const edge of edges) {
    const kind = edge.kind.replace(/ \(.*$/, '').replace(/ (rule|step) .*$/, ' $1');
    edgesByKind[kind] = (edgesByKind[kind] ?? 0) + 1;
    const prefix = `${app.name}/${edge.source.stack.stackName}: ${edge.source.logicalId} (${edge.source.type}) -> ${edge.target}`;
    for (const check of edge.checks) {
      checks += 1;
      if (check.kind === 'constraint') {
        if (!check.ok) findings.add(`${prefix} : ${check.message}`);
        continue;
      }
      const key = JSON.stringify(check.request);
      if (!cache.has(key)) cache.set(key, evaluateAccess(check.request));
      const decision = await cache.get(key)!;
      if (!decision.allowed) findings.add(`${prefix} : ${check.who} is denied ${check.request.action} on ${check.request.resource} by ${decision.deniedBy}`);
    }
  }
  return { app: app.name, edges: edges.length, checks, edgesByKind, findings: [...findings] };
}
