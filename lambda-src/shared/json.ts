/** A JSON object: not null, not an array. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A message body that must be a JSON object; anything else throws what `fail` makes of the reason. */
export function parseJsonObject(body: string, fail: (reason: string) => Error): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw fail('message body is not JSON');
  }
  if (!isObject(parsed)) throw fail('message body is not a JSON object');
  return parsed;
}
