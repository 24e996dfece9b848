import { Duration } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';

/**
 * How the failover runbook is built.
 */
export interface FailoverOptions {
  /**
   * The SSM parameter (in the DR region) that holds the active region, read by the
   * application. The failover step flips it.
   *
   * @default `/<prefix>/active-region`
   */
  readonly activeRegionParameterName?: string;
  /**
   * The Route 53 hosted zone of the record whose health-check state the runbook
   * changes (Region switch `Route53HealthCheck` step). Needs `recordName` too. Its id
   * must be known at synth (for example `HostedZone.fromHostedZoneId(this, 'Zone', 'Z123...')`):
   * the plan lives in the DR region and CloudFormation references do not cross regions.
   *
   * @default - no Route 53 step
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * The DNS record (with failover routing) that points at the active region.
   *
   * @default - no Route 53 step
   */
  readonly recordName?: string;
  /**
   * A Route 53 HTTPS health check on this domain name (the primary region's
   * endpoint). Route 53 checkers cannot reach private endpoints, and health-check
   * metrics exist only in us-east-1.
   *
   * @default - no health check
   */
  readonly healthCheckDomainName?: string;
  /**
   * The path the health check requests.
   *
   * @default '/'
   */
  readonly healthCheckPath?: string;
  /**
   * How long Region switch waits for the failover step before retrying it; the
   * failover function's timeout. Whole minutes, 1 to 15 (a Lambda function's limit).
   *
   * @default Duration.minutes(15)
   */
  readonly stepTimeout?: Duration;
}
