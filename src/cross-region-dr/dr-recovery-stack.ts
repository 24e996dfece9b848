import { Fn, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * The DR recovery stack. Its default database network spans two Availability Zones
 * chosen at deploy time (`Fn::GetAZs`), so synth needs no AZ lookup (and no credentials).
 */
export class DrRecoveryStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
  }

  public get availabilityZones(): string[] {
    return [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }
}
