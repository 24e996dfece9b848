/**
 * AWS answers as they arrive on the wire, for the misbehaving endpoint (faulty-endpoint.ts): just
 * enough of each protocol for the SDK's real deserializers to read a success or an error.
 * - JSON protocols (DynamoDB and CloudWatch JSON 1.0, SSM JSON 1.1): the error type in `__type`.
 * - REST-JSON (AWS Backup): the error type in the `x-amzn-errortype` header.
 * - Query (SNS, RDS): XML, the error code in `<Error><Code>`.
 */
import type { Misbehaviour } from './faulty-endpoint';

const JSON_10 = { 'content-type': 'application/x-amz-json-1.0' };
const JSON_11 = { 'content-type': 'application/x-amz-json-1.1' };
const XML = { 'content-type': 'text/xml' };

/** A JSON 1.0 answer (DynamoDB, CloudWatch). */
export const json10 = (body: unknown, status = 200): Misbehaviour => ({ kind: 'reply', status, headers: JSON_10, body: JSON.stringify(body) });
/** A JSON 1.1 answer (SSM). */
export const json11 = (body: unknown, status = 200): Misbehaviour => ({ kind: 'reply', status, headers: JSON_11, body: JSON.stringify(body) });
/** A JSON-protocol error: `type` such as ThrottlingException, ResourceNotFoundException. */
export const jsonError = (status: number, type: string, version: '1.0' | '1.1' = '1.0'): Misbehaviour =>
  (version === '1.0' ? json10 : json11)({ __type: type, message: `${type} (injected)` }, status);

/** A REST-JSON answer (AWS Backup). */
export const restJson = (body: unknown, status = 200): Misbehaviour =>
  ({ kind: 'reply', status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
export const restJsonError = (status: number, type: string): Misbehaviour =>
  ({ kind: 'reply', status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': type }, body: JSON.stringify({ Message: `${type} (injected)` }) });

/** A Query-protocol error (SNS, RDS). */
export const queryError = (status: number, code: string): Misbehaviour => ({
  kind: 'reply',
  status,
  headers: XML,
  body: `<ErrorResponse><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${code} (injected)</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
});

/** SNS Publish, accepted. */
export const snsPublished = (messageId = 'msg-1'): Misbehaviour => ({
  kind: 'reply',
  status: 200,
  headers: XML,
  body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>`,
});

/** A server error with no body, as a load balancer in front of any service may send. */
export const bare5xx = (status = 503): Misbehaviour => ({ kind: 'reply', status });
