import { Duration } from 'aws-cdk-lib';

/** One mechanism protecting one resource, and the best RPO it can deliver. */
export interface RpoCapability {
  /** The protected resource, as an error names it. */
  readonly resource: string;
  /** The mechanism, e.g. `S3 replication with Replication Time Control`. */
  readonly mechanism: string;
  /** The tightest RPO the mechanism can promise. */
  readonly deliverable: Duration;
}
