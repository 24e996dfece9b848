/**
 * The few AWS managed policies whose text the checker knows, as AWS documents them
 * (AWS Managed Policy Reference). Any other AWS managed policy attached to a role is
 * not evaluated (it grants nothing here), and findings say so.
 */
export const KNOWN_AWS_MANAGED_POLICIES: Record<string, any> = {
  // v1; the basic role aws-cdk-lib's custom resource providers use.
  'service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
  // v3 (edited 2024-01-05); attached by aws-cdk-lib to the role of a function placed in a VPC.
  'service-role/AWSLambdaVPCAccessExecutionRole': {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'AWSLambdaVPCAccessExecutionPermissions',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses'],
      Resource: '*',
    }],
  },
};

/** The known policy text of an AWS managed policy ARN (`arn:<partition>:iam::aws:policy/<path/name>`), if any. */
export function knownAwsManagedPolicy(arn: string): any | undefined {
  const match = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn);
  return match ? KNOWN_AWS_MANAGED_POLICIES[match[1]] : undefined;
}
