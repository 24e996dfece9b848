/**
 * verifier — records a verified checksum for every object version pushed into landing storage.
 *
 * Flow: landing bucket → EventBridge `Object Created` → SQS → this function (partial batch
 * responses, so one bad message goes to the DLQ without failing the others).
 *
 * For each object version:
 * 1. HeadObject with ChecksumMode ENABLED reads the checksum S3 already stores, without the body.
 *    (HeadObject rather than GetObjectAttributes: same data, no extra IAM action, and a server
 *    that does not know `?attributes` — s3rver — answers it with the whole object as a 200,
 *    which the SDK would buffer to parse as XML.) A composite multipart checksum is recorded as
 *    such (`checksumType: COMPOSITE`), never passed off as the SHA-256 of the body.
 * 2. With no stored checksum, GetObject streams the body through SHA-256 in constant memory and
 *    the byte count must equal the object size.
 * 3. A `LandingObjectRecord` goes to the catalog (PutCommand). The key is deterministic per object
 *    version, and the write is conditional: it creates the item or replaces a FAILED one, never a
 *    VERIFIED one — so a redelivered event keeps the first verification time as evidence, and a
 *    retried failure that now succeeds upgrades the item.
 * 4. A verdict of failure (version missing, access denied, size mismatch) is a FAILED item plus
 *    an SNS alarm, and the message succeeds (retrying cannot help). Throttling and 5xx are retried
 *    by the SDK (5 attempts); if they persist the message fails and SQS retries it, then the DLQ.
 * The function only reads objects: it never writes, overwrites or deletes them.
 *
 * Code: verifier/handler.ts (the flow over injected clients); verifier/event.ts, checksum.ts and
 * outcome.ts are pure.
 *
 * Environment (verifier/config.ts; read on every invocation, a missing value fails it):
 * - TABLE_NAME (required): the catalog table.
 * - ALARM_TOPIC_ARN (required): SNS topic for failed verifications.
 * - TENANTS (optional): comma-separated tenant ids; a key `<tenant>/...` belongs to that tenant.
 * - POWERTOOLS_SERVICE_NAME (optional, default `verifier`): service name in logs and metrics.
 * - POWERTOOLS_LOG_LEVEL (optional): log level.
 * - POWERTOOLS_METRICS_NAMESPACE (optional, default `CompliantBackup`): metrics namespace.
 * - RETRY_BASE_DELAY_MS (optional, default 200): backoff base of the SDK retries (5 attempts).
 * Metrics (EMF, per invocation): ObjectsVerified, ObjectsFailed (verifications performed, so a
 * redelivery counts again), BytesHashed (bytes streamed through SHA-256).
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Env } from './shared/env';
import { createLogger, createMetrics } from './shared/powertools';
import { createDocumentClient, createS3Client, createSnsClient } from './verifier/clients';
import { parseVerifierConfig } from './verifier/config';
import { createVerifierHandler, type VerifierDeps } from './verifier/handler';

export { createDocumentClient, createS3Client, createSnsClient } from './verifier/clients';
export { parseTenants } from './verifier/config';
export { createVerifierHandler, verifyObject, type VerificationResult, type VerifierDeps } from './verifier/handler';

// Created once per container; exported so tests can observe them.
const logger = createLogger('verifier');
export const metrics = createMetrics('verifier', process.env, 'CompliantBackup');
export const s3Client = createS3Client();
export const documentClient = createDocumentClient();
export const snsClient = createSnsClient();

/** The module's clients, logger and metrics, with the configuration read from `env` (see the header). */
export function depsFromEnv(env: Env = process.env): VerifierDeps {
  return { s3: s3Client, ddb: documentClient, sns: snsClient, ...parseVerifierConfig(env), logger, metrics };
}

/** Lambda entry point. */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  return createVerifierHandler(depsFromEnv())(event, context);
}
