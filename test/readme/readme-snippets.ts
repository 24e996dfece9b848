/**
 * The TypeScript snippets of a markdown document, as jsii-rosetta reads them: every ```ts
 * fence, with the `fixture=NAME` parameter of its info string. A snippet that is not an app
 * (a fragment of props, a shell line written as TypeScript) is marked by an HTML comment on
 * the line above it, which must say why: `<!-- readme-test: skip (reason) -->`.
 */
export interface ReadmeSnippet {
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
  /** The code between the fences. */
  readonly code: string;
  /** The rosetta fixture it is compiled in: `fixture=NAME`, else `default`. */
  readonly fixture: string;
  /** Why the snippet is not synthesized, when it is marked so. */
  readonly skipReason?: string;
}

const OPENING_FENCE = /^```ts(?:\s+(.*))?$/;
const SKIP_MARKER = /^<!--\s*readme-test:\s*skip\s*\((.+)\)\s*-->$/;

export function readmeSnippets(markdown: string): ReadmeSnippet[] {
  const lines = markdown.split('\n');
  const snippets: ReadmeSnippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const opening = OPENING_FENCE.exec(lines[i].trimEnd());
    if (!opening) continue;
    const end = lines.findIndex((l, j) => j > i && l.trimEnd() === '```');
    if (end < 0) throw new Error(`line ${i + 1}: a \`\`\`ts fence is never closed`);
    const parameters = parseParameters(opening[1] ?? '');
    snippets.push({
      line: i + 1,
      code: lines.slice(i + 1, end).join('\n'),
      fixture: parameters.fixture ?? 'default',
      skipReason: skipReasonAbove(lines, i),
    });
    i = end;
  }
  return snippets;
}

/** `fixture=name other=value` as rosetta writes snippet parameters. */
function parseParameters(info: string): Record<string, string> {
  return Object.fromEntries(info.split(/\s+/).filter(Boolean).map((p) => {
    const [key, ...value] = p.split('=');
    return [key, value.join('=')];
  }));
}

function skipReasonAbove(lines: string[], fence: number): string | undefined {
  let above = fence - 1;
  while (above >= 0 && lines[above].trim() === '') above--;
  const text = above >= 0 ? lines[above].trim() : '';
  if (!text.includes('readme-test')) return undefined;
  const marker = SKIP_MARKER.exec(text);
  if (!marker || marker[1].trim() === '') {
    throw new Error(`line ${above + 1}: a skip marker must read <!-- readme-test: skip (why this snippet is not an app) -->`);
  }
  return marker[1].trim();
}
