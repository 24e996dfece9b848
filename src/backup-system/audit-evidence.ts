import { Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as config from 'aws-cdk-lib/aws-config';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { auditResourceName, createReportPlans, createReportStorage } from './audit';
import { AuditControl, renderControls } from './audit-controls';
import { AuditOptions } from './audit-options';
import { configDelivery, createConfigRecorder, warnAboutConfigRecorder } from './config-recorder';
import { ComplianceProfile } from '../compliance/compliance-profile';
import { KeyProvider } from '../private/key-provider';
import { checkAuditOptions } from '../validation/audit';

/** What a system's audit produced: each part is absent when it was turned off. */
export interface AuditEvidence {
  readonly framework?: backup.CfnFramework;
  readonly reportBucket?: s3.IBucket;
  readonly reportKey?: kms.IKey;
  readonly reportPlans: backup.CfnReportPlan[];
  readonly configRecorder?: config.CfnConfigurationRecorder;
}

export interface AuditEvidenceInputs {
  readonly audit: AuditOptions;
  readonly profile?: ComplianceProfile;
  readonly accessLogBucket: s3.IBucket;
  readonly removalPolicy: RemovalPolicy;
  readonly keys: KeyProvider;
  /** Called at synth, so the framework follows tiers added after construction. */
  readonly controls: () => readonly AuditControl[];
}

/**
 * The framework derived from the tiers and the reports into the report bucket, created in
 * `system`'s scope (their construct ids are public API), each one optional.
 */
export function createAuditEvidence(system: Construct, inputs: AuditEvidenceInputs): AuditEvidence {
  const { audit, removalPolicy } = inputs;
  const templates = checkAuditOptions(system, audit, inputs.profile);
  let framework: backup.CfnFramework | undefined;
  if (audit.framework ?? true) {
    framework = new backup.CfnFramework(system, 'Framework', {
      frameworkName: audit.frameworkName ?? auditResourceName(system, 'framework'),
      frameworkDescription: `Controls derived from the backup plan of ${system.node.path}`,
      frameworkControls: Lazy.any({ produce: () => renderControls(inputs.controls()) }) as any,
    });
    // A framework's compliance history is evidence: keep it with the rest unless asked otherwise.
    framework.applyRemovalPolicy(removalPolicy);
  }
  if (framework && !audit.configRecorder) warnAboutConfigRecorder(system);
  if (templates.length === 0 && !audit.configRecorder) return { framework, reportPlans: [] };

  const storage = createReportStorage(system, audit, inputs.accessLogBucket, removalPolicy, inputs.keys);
  const reportPlans = createReportPlans(system, storage.bucket, framework, audit, templates, removalPolicy);
  const configRecorder = audit.configRecorder
    ? createConfigRecorder(system, configDelivery(system,
      { bucket: storage.bucket, key: storage.key, locked: !audit.reportBucket && audit.reportObjectLockRetention !== undefined },
      inputs.accessLogBucket, removalPolicy))
    : undefined;
  return { framework, reportBucket: storage.bucket, reportKey: storage.key, reportPlans, configRecorder };
}
