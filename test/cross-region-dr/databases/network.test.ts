/** DR databases: createDrDatabaseNetwork. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ACCOUNT, DR, fixture, resource } from './fixtures';

describe('createDrDatabaseNetwork', () => {
  const f = fixture();
  const network = f.network();
  const template = Template.fromStack(f.recoveryStack);

  test('an isolated VPC in the recovery stack: no internet gateway, no NAT, no public IPs', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 3);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    // The default security group is emptied (aws-cdk-lib custom resource).
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('flow logs of all traffic go to a log group encrypted with a rotated customer-managed key, kept a year', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: Match.stringLikeRegexp('^DatabasesNetworkFlowLogs') },
    });
    const logGroup = resource(template, 'AWS::Logs::LogGroup', 'DatabasesNetworkFlowLogs');
    expect(logGroup.Properties).toEqual({
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DatabasesNetworkFlowLogKey/), 'Arn'] },
      RetentionInDays: 365,
    });
    expect(logGroup.DeletionPolicy).toBe('Retain');
    const key = resource(template, 'AWS::KMS::Key', 'DatabasesNetworkFlowLogKey');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(JSON.stringify(key.Properties.KeyPolicy)).toContain(`logs.${DR}.amazonaws.com`);
  });

  test('the flow-log role is assumed by VPC Flow Logs of this account only and has no inline policy', () => {
    const role = resource(template, 'AWS::IAM::Role', 'DatabasesNetworkFlowLogRole');
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    }]);
  });

  test('one security group without ingress and without egress, and a named DB subnet group over the isolated subnets', () => {
    const group = resource(template, 'AWS::EC2::SecurityGroup', 'DatabasesNetworkSecurityGroup');
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    expect(group.Properties.SecurityGroupEgress).toEqual([{
      CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, IpProtocol: 'icmp', ToPort: 86,
    }]);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      DBSubnetGroupName: 'dr-test-dr-databases',
      SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^DatabasesNetworkVpcdatabasesSubnet1') }]),
    });
    expect(f.recoveryStack.resolve(network.subnetGroupName)).toEqual({ Ref: expect.stringMatching(/^DatabasesNetworkSubnetGroup/) });
    expect(f.recoveryStack.resolve(network.securityGroupIds)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^DatabasesNetworkSecurityGroup/), 'GroupId'] }]);
  });
});
