import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

// --- Audit names ---------------------------------------------------------------

export function checkAuditName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!/^[a-zA-Z][_a-zA-Z0-9]{0,255}$/.test(name)) {
    fail(scope, prop, `'${name}'`, 'a framework or report plan name starts with a letter and has up to 256 letters, digits and underscores');
  }
}
