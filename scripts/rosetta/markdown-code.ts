/** A fenced code block of a markdown document. */
export interface CodeBlock {
  /** 1-based line of the opening fence (what jsii-rosetta records as a README snippet's location). */
  readonly line: number;
  /** The first word of the info string (`ts`, `python`, ...), or '' when there is none. */
  readonly language: string;
  /** The lines between the fences. */
  readonly source: string;
}

const OPENING = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;

/** Every fenced code block of `markdown`, in order; an unclosed fence runs to the end, as in CommonMark. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const opening = OPENING.exec(lines[i]);
    if (!opening) continue;
    const fence = opening[1];
    const closing = new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end])) end++;
    blocks.push({ line: i + 1, language: opening[2], source: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** The languages whose blocks jsii-rosetta translates (replace-typescript-transform). */
export const TYPESCRIPT_FENCES = new Set(['ts', 'typescript']);

/** Lines without trailing blanks or surrounding empty lines, so sources compare as text. */
export function normalizeCode(source: string): string {
  return source.split('\n').map((l) => l.trimEnd()).join('\n').trim();
}
