/**
 * Reading errors, whatever threw them: an SDK service exception (name, `$metadata`), an S3 error
 * whose XML code arrives as `Code`, a Node network error (`code`), or a value that is not an Error.
 */

interface ErrorLike {
  readonly name?: unknown;
  readonly Code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown; readonly attempts?: unknown };
}

const asErrorLike = (err: unknown): ErrorLike => (typeof err === 'object' && err !== null ? err as ErrorLike : {});

/**
 * The error's name: its `name` unless that is the generic `Error`, else the service's `Code`,
 * else `Error`; undefined for something that carries neither.
 */
export function errorName(err: unknown): string | undefined {
  const e = asErrorLike(err);
  if (typeof e.name === 'string' && e.name !== '' && e.name !== 'Error') return e.name;
  if (typeof e.Code === 'string' && e.Code !== '') return e.Code;
  return typeof e.name === 'string' && e.name !== '' ? e.name : undefined;
}

/** The HTTP status of the answer that made the error, when there was one. */
export function httpStatus(err: unknown): number | undefined {
  const status = asErrorLike(err).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** How many attempts the SDK made before giving up, when it says. */
export function attempts(err: unknown): number | undefined {
  const n = asErrorLike(err).$metadata?.attempts;
  return typeof n === 'number' ? n : undefined;
}

/** The error's message; a thrown non-Error is shown as it converts to a string. */
export function errorMessage(err: unknown): string {
  const message = asErrorLike(err).message;
  return typeof message === 'string' ? message : String(err);
}

/** `Name: message`, plus `after N attempts` when the SDK retried: for logs, reports and alerts. */
export function describeError(err: unknown): string {
  const n = attempts(err);
  return `${errorName(err) ?? 'Error'}: ${errorMessage(err)}${n !== undefined ? ` after ${n} attempts` : ''}`;
}

/**
 * `Name, HTTP status` without the message: for text that leaves the account's logs (a message
 * can quote object keys or other data the reader should not see).
 */
export function describeErrorBriefly(err: unknown): string {
  const name = errorName(err) ?? 'Error';
  const status = httpStatus(err);
  return status !== undefined ? `${name}, HTTP ${status}` : name;
}
