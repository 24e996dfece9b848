
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AuditedVault, AuditedVaultProps } from '../../src';
import { testApp } from '../support/compliance';

export const ENV = { account: '111111111111', region: 'us-east-1' };

export function vaultStack(props?: AuditedVaultProps): { stack: Stack; vault: AuditedVault; template: Template } {
  const app = testApp();
  const stack = new Stack(app, 'VaultStack', { env: ENV });
  const vault = new AuditedVault(stack, 'Vault', props);
  // Synthesized on first read, so tests may still add constructs before reading it.
  return { stack, vault, get template() { return Template.fromStack(stack); } };
}

/** The statements of the only resource of `type` whose properties match `props`. */
export function policyStatements(template: Template, type: string, prop: string): any[] {
  const resources = Object.values(template.findResources(type));
  return resources.flatMap((r: any) => r.Properties[prop]?.Statement ?? []);
}
