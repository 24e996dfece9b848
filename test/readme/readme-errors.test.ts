import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as library from '../../src';
import { BackupTier, ComplianceProfile, CompliantBackupSystem } from '../../src';

// The README's "Errors" section quotes real messages: they must be what the library says.
const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const errorsSection = readme.slice(readme.indexOf('## Errors'), readme.indexOf('\n## ', readme.indexOf('## Errors') + 1));
const quoted = [...errorsSection.matchAll(/```text\n([\s\S]*?)\n```/g)].map((m) => m[1]);

function payments(): Stack {
  const app = new App({ builtinCloudFormationValidation: false });
  return new Stack(app, 'Payments', { env: { account: '123456789012', region: 'eu-west-1' } });
}

test('the README quotes two messages', () => {
  expect(quoted).toHaveLength(2);
});

test('a rule at the call throws ComplianceRuleError with the message the README quotes', () => {
  let error: Error | undefined;
  try {
    new CompliantBackupSystem(payments(), 'Backups', {
      tiers: [BackupTier.daily({ retention: Duration.days(30), moveToColdStorageAfter: Duration.days(7) })],
    });
  } catch (e) {
    error = e as Error;
  }
  expect(error?.name).toBe('ComplianceRuleError');
  expect(error?.message).toBe(quoted[0]);
});

test('a rule that depends on later calls fails the synth with the line the README quotes', () => {
  const stack = payments();
  new CompliantBackupSystem(stack, 'Backups', {
    profile: ComplianceProfile.sox(),
    tiers: [BackupTier.daily({ retention: Duration.days(365) })],
  });
  expect(() => (stack.node.root as App).synth()).toThrow(expect.objectContaining({
    message: expect.stringContaining(`\n  ${quoted[1]}`),
  }));
});

test('ComplianceRuleError is not exported from the main entry (jsii cannot export an Error subclass)', () => {
  expect(Object.keys(library)).not.toContain('ComplianceRuleError');
});

test('TypeScript and JavaScript users reach it as cdk-compliant-backup/errors, the module every rule throws from', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const target: string = pkg.exports['./errors'].default;
  // lib/ is compiled from src/ file by file: the subpath is the rules' own module, so instanceof holds.
  const source = path.join(__dirname, '..', '..', target.replace(/^\.\/lib\//, 'src/').replace(/\.js$/, '.ts'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const errors = require(source);
  const e = (() => {
    try {
      new CompliantBackupSystem(payments(), 'Backups', { tiers: [BackupTier.daily({ retention: Duration.days(0) })] });
    } catch (caught) {
      return caught;
    }
    return undefined;
  })();
  expect(e).toBeInstanceOf(errors.ComplianceRuleError);
});
