/** RestoreTesting: the synth-time rules. */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { EBS_ONLY, fixture, deps } from './fixtures';
import { RestoreTesting } from '../../../src/backup-system/restore-testing';
import { RestoreTestingOptions, RestoreTestingResourceType as T } from '../../../src/backup-system/restore-testing-options';
import { ComplianceRuleError } from '../../../src/validation/errors';

// One test per rule: each names the construct path, the prop, the value and what is allowed.
describe('RestoreTesting synth-time rules', () => {
  function create(options: RestoreTestingOptions): () => RestoreTesting {
    const f = fixture('S');
    return () => new RestoreTesting(f.stack, 'RT', options, deps(f));
  }

  test('plan name: letters, digits and underscores, up to 50', () => {
    expect(create({ ...EBS_ONLY, planName: 'weekly-tests' })).toThrow(ComplianceRuleError);
    expect(create({ ...EBS_ONLY, planName: 'weekly-tests' })).toThrow(
      "S/RT: planName is 'weekly-tests'; a restore testing plan or selection name is 1-50 letters, digits and underscores");
    expect(create({ ...EBS_ONLY, planName: 'x'.repeat(51) })).toThrow(/planName is 'x{51}'/);
    expect(create({ ...EBS_ONLY, planName: 'x'.repeat(50) })).not.toThrow();
  });

  test('selection name: letters, digits and underscores, up to 50', () => {
    expect(create({ selections: [{ resourceType: T.EBS, name: 'ebs volumes' }] })).toThrow(
      "S/RT: selections[0].name is 'ebs volumes'; a restore testing plan or selection name is 1-50 letters, digits and underscores");
  });

  test('selection names are unique in the plan', () => {
    expect(create({ selections: [{ resourceType: T.EBS }, { resourceType: T.RDS, name: 'EBS_1' }] })).toThrow(
      "S/RT: selections[1].name is 'EBS_1'; restore testing selection names must be unique within the plan");
  });

  test('cron schedules only', () => {
    expect(create({ ...EBS_ONLY, schedule: events.Schedule.rate(Duration.days(7)) })).toThrow(
      "S/RT: schedule is 'rate(7 days)'; AWS Backup accepts cron() schedules only (use events.Schedule.cron())");
  });

  test('the time zone is an IANA name', () => {
    expect(create({ ...EBS_ONLY, scheduleTimeZone: 'Mars/Olympus' })).toThrow(
      "S/RT: scheduleTimeZone is 'Mars/Olympus'; expected an IANA time zone name such as 'Europe/Berlin' or 'UTC'");
  });

  test('start window is 1-168 hours', () => {
    expect(create({ ...EBS_ONLY, startWindow: Duration.hours(169) })).toThrow(
      'S/RT: startWindow is 7 days 1 hour; the start window of a restore testing plan is 1-168 hours (one week)');
    expect(create({ ...EBS_ONLY, startWindow: Duration.minutes(0) })).toThrow(
      'S/RT: startWindow is 0 minutes; the start window of a restore testing plan is 1-168 hours (one week)');
    expect(create({ ...EBS_ONLY, startWindow: Duration.hours(168) })).not.toThrow();
  });

  test('start and validation windows count in whole hours', () => {
    expect(create({ ...EBS_ONLY, startWindow: Duration.minutes(90) })).toThrow(
      'S/RT: startWindow is 1 hour 30 minutes; restore testing counts this window in whole hours (use Duration.hours())');
  });

  test('selection window is 1-365 days', () => {
    expect(create({ ...EBS_ONLY, selectionWindow: Duration.days(366) })).toThrow(
      'S/RT: selectionWindow is 366 days; restore testing chooses recovery points from the last 1-365 days');
    expect(create({ ...EBS_ONLY, selectionWindow: Duration.days(0) })).toThrow(
      'S/RT: selectionWindow is 0 days; restore testing chooses recovery points from the last 1-365 days');
    expect(create({ ...EBS_ONLY, selectionWindow: Duration.days(365) })).not.toThrow();
  });

  test('selection window counts in whole days', () => {
    expect(create({ ...EBS_ONLY, selectionWindow: Duration.hours(36) })).toThrow(
      'S/RT: selectionWindow is 1 day 12 hours; restore testing counts the selection window in whole days (use Duration.days())');
  });

  test('validation window is 1-168 hours', () => {
    expect(create({ selections: [{ resourceType: T.EBS, validationWindow: Duration.hours(169) }] })).toThrow(
      'S/RT: selections[0].validationWindow is 7 days 1 hour; the validation window of a restore testing selection is 1-168 hours');
    expect(create({ selections: [{ resourceType: T.EBS, validationWindow: Duration.hours(0) }] })).toThrow(
      'S/RT: selections[0].validationWindow is 0 hours; the validation window of a restore testing selection is 1-168 hours');
  });

  test('at least one selection', () => {
    expect(create({ selections: [] })).toThrow(
      'S/RT: selections is []; restore testing needs at least one selection (one per resource type to test)');
  });

  test('one resource type per selection, one restore testing supports', () => {
    expect(create({ selections: [{ resourceType: 'EBS,RDS' as T }] })).toThrow(
      "S/RT: selections[0].resourceType is 'EBS,RDS'; a restore testing selection names exactly one resource type, one of "
      + 'Aurora, DocumentDB, DynamoDB, EBS, EC2, EFS, FSx, Neptune, RDS, S3; add a selection per type');
  });

  test('protected resources are ARNs of the selection\'s one resource type', () => {
    expect(create({ selections: [{ resourceType: T.EBS, protectedResourceArns: ['arn:aws:rds:us-east-1:111111111111:db:orders'] }] })).toThrow(
      "S/RT: selections[0].protectedResourceArns is 'arn:aws:rds:us-east-1:111111111111:db:orders'; this selection's resource type "
      + 'is EBS, so it holds EBS resources only (ARNs of ec2); add a selection per resource type');
    expect(create({ selections: [{ resourceType: T.AURORA, protectedResourceArns: ['arn:aws:rds:us-east-1:111111111111:cluster:orders'] }] })).not.toThrow();
  });

  test('protected resources are [\'*\'] or specific ARNs, not both', () => {
    expect(create({ selections: [{ resourceType: T.S3, protectedResourceArns: ['*', 'arn:aws:s3:::docs'] }] })).toThrow(
      "S/RT: selections[0].protectedResourceArns is ['*', 'arn:aws:s3:::docs']; it is either ['*'] or specific ARNs, not both");
  });

  test('protected resources: at most 30 ARNs', () => {
    const arns = Array.from({ length: 31 }, (_, i) => `arn:aws:s3:::bucket-${i}`);
    expect(create({ selections: [{ resourceType: T.S3, protectedResourceArns: arns }] })).toThrow(
      'S/RT: selections[0].protectedResourceArns is 31 ARNs; a restore testing selection lists at most 30 resource ARNs');
    expect(create({ selections: [{ resourceType: T.S3, protectedResourceArns: arns.slice(0, 30) }] })).not.toThrow();
  });

  test('protected resources: not an empty list', () => {
    expect(create({ selections: [{ resourceType: T.S3, protectedResourceArns: [] }] })).toThrow(
      "S/RT: selections[0].protectedResourceArns is []; list the resources to test, or ['*'] for every protected resource of the type");
  });
});
