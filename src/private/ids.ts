import { createHash } from 'crypto';
import { IConstruct } from 'constructs';

/**
 * A construct id derived from another construct's own path: the same whatever else the
 * app holds, so that adding, removing or reordering other resources never renames what
 * protects or watches this one (and never changes its logical ID or physical name).
 */
export function stableId(construct: IConstruct): string {
  const readable = construct.node.id.replace(/[^A-Za-z0-9]/g, '');
  return `${readable}${createHash('sha256').update(construct.node.path).digest('hex').slice(0, 8).toUpperCase()}`;
}

/** A short hash of a value's JSON, for ids of things named by what they hold. */
export function contentId(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8).toUpperCase();
}
