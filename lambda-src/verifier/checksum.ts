/**
 * Checksums: the one S3 already stores for an object (read from HeadObject headers, no body),
 * and a SHA-256 computed by streaming the body chunk by chunk in constant memory.
 */
import { createHash } from 'node:crypto';

/** S3's checksum algorithms, strongest first: when S3 reports several, the first one wins. */
export const CHECKSUM_ALGORITHMS = ['SHA256', 'SHA1', 'CRC64NVME', 'CRC32C', 'CRC32'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/**
 * `FULL_OBJECT`: the checksum of the whole body. `COMPOSITE`: a checksum of the part checksums of
 * a multipart upload (S3 shows it as `<base64>-<parts>`); it is not the checksum of the body.
 */
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

export interface StoredChecksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Base64, exactly as S3 reports it (a composite one keeps its `-<parts>` suffix). */
  readonly value: string;
  readonly type: ChecksumType;
}

/** The checksum fields of a HeadObject (or GetObjectAttributes `Checksum`) response. */
export interface ChecksumFields {
  readonly ChecksumSHA256?: string;
  readonly ChecksumSHA1?: string;
  readonly ChecksumCRC64NVME?: string;
  readonly ChecksumCRC32C?: string;
  readonly ChecksumCRC32?: string;
  readonly ChecksumType?: string;
}

/** The checksum S3 stores for an object, or undefined when it stores none. */
export function storedChecksum(fields: ChecksumFields): StoredChecksum | undefined {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = fields[`Checksum${algorithm}`];
    if (typeof value === 'string' && value !== '') {
      const composite = fields.ChecksumType === 'COMPOSITE' || /-\d+$/.test(value);
      return { algorithm, value, type: composite ? 'COMPOSITE' : 'FULL_OBJECT' };
    }
  }
  return undefined;
}

export interface StreamDigest {
  /** Base64 digest, the encoding S3 uses for its checksums. */
  readonly digest: string;
  /** Bytes read from the stream. */
  readonly bytes: number;
}

/**
 * Hashes a byte stream as it arrives: each chunk goes into the hash and is dropped, so memory
 * stays flat whatever the object size. Stopping early (an error) destroys a Node stream.
 */
export async function hashStream(body: AsyncIterable<Uint8Array | string>, algorithm = 'sha256'): Promise<StreamDigest> {
  const hash = createHash(algorithm);
  let bytes = 0;
  for await (const chunk of body) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    hash.update(data);
    bytes += data.byteLength;
  }
  return { digest: hash.digest('base64'), bytes };
}
