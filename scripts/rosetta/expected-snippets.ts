import { ApiLocation, INITIALIZER_METHOD_NAME } from 'jsii-rosetta';
import { codeBlocks, TYPESCRIPT_FENCES } from './markdown-code';
import { JsiiAssembly } from './python-api';

/**
 * A TypeScript snippet that jsii-rosetta must translate, found here without rosetta in the
 * places a user reads: the README's ts fences, `@example` tags, and ts fences in doc summaries
 * and remarks. Rosetta reads remarks but not summaries, so a fence in a summary shows up as
 * missing from the tablet, as it should: pacmak would leave it in TypeScript.
 */
export interface ExpectedSnippet {
  /** For messages: `README.md:78` or `cdk-compliant-backup.BackupTier example`. */
  readonly where: string;
  /** The API location, as the tablet records it. */
  readonly api: ApiLocation;
  readonly source: string;
}

interface Docs { readonly example?: string; readonly remarks?: string; readonly summary?: string }
interface Documented { readonly name: string; readonly docs?: Docs }
interface DocumentedCallable extends Documented { readonly parameters?: Documented[] }
interface DocumentedType {
  readonly fqn: string;
  readonly docs?: Docs;
  readonly members?: Documented[];
  readonly initializer?: DocumentedCallable;
  readonly methods?: DocumentedCallable[];
  readonly properties?: Documented[];
}

export function expectedSnippets(assembly: JsiiAssembly): ExpectedSnippet[] {
  const snippets: ExpectedSnippet[] = [];
  const fromMarkdown = (markdown: string | undefined, api: ApiLocation, where: (line: number) => string) => {
    for (const block of codeBlocks(markdown ?? '').filter((b) => TYPESCRIPT_FENCES.has(b.language))) {
      snippets.push({ where: where(block.line), api, source: block.source });
    }
  };
  const fromDocs = (docs: Docs | undefined, api: ApiLocation, where: string) => {
    if (docs?.example) snippets.push({ where: `${where} example`, api, source: docs.example });
    fromMarkdown(docs?.summary, api, (line) => `${where} summary, line ${line}`);
    fromMarkdown(docs?.remarks, api, (line) => `${where} remarks, line ${line}`);
  };
  const fromCallable = (callable: DocumentedCallable | undefined, fqn: string, isInitializer: boolean) => {
    if (!callable) return;
    const methodName = isInitializer ? INITIALIZER_METHOD_NAME : callable.name;
    fromDocs(callable.docs, isInitializer ? { api: 'initializer', fqn } : { api: 'member', fqn, memberName: methodName }, `${fqn}#${methodName}`);
    for (const parameter of callable.parameters ?? []) {
      fromDocs(parameter.docs, { api: 'parameter', fqn, methodName, parameterName: parameter.name }, `${fqn}#${methodName} parameter ${parameter.name}`);
    }
  };

  fromMarkdown(assembly.readme?.markdown, { api: 'moduleReadme', moduleFqn: assembly.name }, (line) => `README.md:${line}`);
  for (const type of Object.values(assembly.types ?? {}) as unknown as DocumentedType[]) {
    const fqn = type.fqn;
    fromDocs(type.docs, { api: 'type', fqn }, fqn);
    for (const member of type.members ?? []) fromDocs(member.docs, { api: 'member', fqn, memberName: member.name }, `${fqn}.${member.name}`);
    fromCallable(type.initializer, fqn, true);
    for (const method of type.methods ?? []) fromCallable(method, fqn, false);
    for (const property of type.properties ?? []) fromDocs(property.docs, { api: 'member', fqn, memberName: property.name }, `${fqn}#${property.name}`);
  }
  return snippets;
}
