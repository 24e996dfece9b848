import { StackResolver, isUnresolved } from './resolver';

const ENV = { account: '123456789012', region: 'eu-west-1', partition: 'aws', urlSuffix: 'amazonaws.com', stackName: 'S' };
const TEMPLATE = {
  Conditions: { InEurope: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } },
  Mappings: { Sizes: { 'eu-west-1': { Memory: 256 } } },
  Resources: {
    Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
    Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Join': ['-', ['logs', { Ref: 'AWS::AccountId' }]] } } },
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
    Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'runner', Path: '/service/' } },
    Thing: { Type: 'AWS::Unknown::Thing', Properties: {} },
  },
};

describe('the template resolver', () => {
  const r = new StackResolver(TEMPLATE, ENV);

  test('pseudo parameters, Ref and GetAtt in the formats AWS returns', () => {
    expect(r.resolve({ Ref: 'AWS::Partition' })).toBe('aws');
    expect(r.resolve({ Ref: 'Topic' })).toBe('arn:aws:sns:eu-west-1:123456789012:alerts');
    expect(r.resolve({ 'Fn::GetAtt': ['Topic', 'TopicName'] })).toBe('alerts');
    expect(r.resolve({ Ref: 'Bucket' })).toBe('logs-123456789012');
    expect(r.resolve({ 'Fn::GetAtt': ['Bucket', 'Arn'] })).toBe('arn:aws:s3:::logs-123456789012');
    expect(r.resolve({ 'Fn::GetAtt': ['Role', 'Arn'] })).toBe('arn:aws:iam::123456789012:role/service/runner');
    const queueUrl = r.resolve({ Ref: 'Queue' });
    expect(queueUrl).toMatch(/^https:\/\/sqs\.eu-west-1\.amazonaws\.com\/123456789012\/S-Queue-/);
    expect(r.resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe(`arn:aws:sqs:eu-west-1:123456789012:${queueUrl.split('/').pop()}`);
    expect(r.resolve({ 'Fn::GetAtt': ['Key', 'Arn'] })).toBe(`arn:aws:kms:eu-west-1:123456789012:key/${r.resolve({ Ref: 'Key' })}`);
  });

  test('Join, Sub (with and without variables), Select, Split, If, FindInMap', () => {
    expect(r.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Name}:*' }))
      .toContain('arn:aws:logs:eu-west-1:123456789012:log-group:');
    expect(r.resolve({ 'Fn::Sub': ['${Topic.TopicName}-${X}', { X: 'y' }] })).toBe('alerts-y');
    expect(r.resolve({ 'Fn::Sub': '${!Literal}' })).toBe('${Literal}');
    expect(r.resolve({ 'Fn::Select': [1, { 'Fn::Split': [':', 'a:b:c'] }] })).toBe('b');
    expect(r.resolve({ 'Fn::If': ['InEurope', 'eu', 'other'] })).toBe('eu');
    expect(r.resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'AWS::Region' }, 'Memory'] })).toBe(256);
    expect(r.resolve(['a', { Ref: 'AWS::NoValue' }, 'b'])).toEqual(['a', 'b']);
  });

  test('what cannot be resolved stays recognizably unresolved, also inside a Join', () => {
    expect(isUnresolved(r.resolve({ 'Fn::GetAtt': ['Thing', 'Arn'] }))).toBe(true);
    expect(isUnresolved(r.resolve({ 'Fn::Join': ['', ['arn:', { 'Fn::GetAtt': ['Missing', 'Arn'] }]] }))).toBe(true);
    expect(isUnresolved(r.resolve({ 'Fn::ImportValue': 'Elsewhere' }))).toBe(true);
  });
});
