import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiLocation, renderApiLocation } from 'jsii-rosetta';
import { ExpectedSnippet, expectedSnippets } from './expected-snippets';
import { codeBlocks, normalizeCode, TYPESCRIPT_FENCES } from './markdown-code';
import { loadAssemblies, pythonApi, readAssembly } from './python-api';
import { checkPython } from './python-check';

/*
 * `npx projen verify:translations` (after compile and rosetta:extract): proves that the other
 * languages get translated code.
 *  1. Every TypeScript snippet of the compiled assembly (README and doc comments, found here
 *     without rosetta) is in .jsii.tabl.json with the current source, compiled, and translated
 *     to Python, C#, Java and Go.
 *  2. jsii-pacmak --code-only, run as the package:* tasks run it, writes those translations into
 *     each language's README and doc comments; no TypeScript fence and no "non-compiling"
 *     disclaimer is left.
 *  3. The Python in the generated README (and the API-doc examples) parses with python3 and calls
 *     the real API: imports exist, keyword arguments are ones the generated bindings accept
 *     (scripts/rosetta/check-python.py says what is checked).
 * Prints what it checked and how long each step took; exits 1 with the reasons on any failure.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const TABLET = path.join(ROOT, '.jsii.tabl.json');
const LANGUAGES = ['python', 'csharp', 'java', 'go'] as const;
/** pacmak target name for each rosetta language. */
const TARGETS: Record<typeof LANGUAGES[number], string> = { python: 'python', csharp: 'dotnet', java: 'java', go: 'go' };
/** What jsii-rosetta prefixes to a snippet that did not compile. */
const DISCLAIMER = 'automatically generated from non-compiling source';

interface TabletSnippet {
  readonly translations: Record<string, { readonly source: string }>;
  readonly location: { readonly api: ApiLocation; readonly field: { readonly field: string; readonly line?: number } };
  readonly didCompile?: boolean;
}

const failures: string[] = [];
const fail = (message: string) => failures.push(message);
const timings: Array<[string, number]> = [];
function timed<T>(step: string, run: () => T): T {
  const start = process.hrtime.bigint();
  try {
    return run();
  } finally {
    timings.push([step, Number(process.hrtime.bigint() - start) / 1e9]);
  }
}

function main() {
  const started = process.hrtime.bigint();
  const assembly = readAssembly(ROOT);
  if (normalizeCode(assembly.readme?.markdown ?? '') !== normalizeCode(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'))) {
    throw new Error('.jsii holds an older README.md: run npx projen compile (verify:translations does) first');
  }
  if (!fs.existsSync(TABLET)) throw new Error(`${TABLET} is missing: run npx projen rosetta:extract first`);

  // 1. The tablet against the snippets of the assembly.
  const expected = expectedSnippets(assembly);
  const tablet: Record<string, TabletSnippet> = JSON.parse(fs.readFileSync(TABLET, 'utf8')).snippets;
  const translated = new Map<ExpectedSnippet, TabletSnippet>();
  for (const snippet of expected) {
    // Matched as rosetta keys snippets: by API location and source. The markdown line a tablet
    // records is where the snippet was when first translated; extract reuses it when lines move.
    const entry = Object.values(tablet).find((t) => renderApiLocation(t.location.api) === renderApiLocation(snippet.api)
      && normalizeCode(t.translations.$?.source ?? '') === normalizeCode(snippet.source));
    if (!entry) {
      fail(`${snippet.where}: not in ${path.basename(TABLET)} with its current source (rosetta translates README and remarks fences and @example tags only)`);
      continue;
    }
    translated.set(snippet, entry);
    if (entry.didCompile !== true) fail(`${snippet.where}: did not compile in its fixture`);
    for (const language of LANGUAGES) {
      if (!entry.translations[language]?.source.trim()) fail(`${snippet.where}: no ${language} translation`);
    }
  }
  const extra = Object.keys(tablet).length - new Set(translated.values()).size;
  if (extra > 0) fail(`${path.basename(TABLET)} has ${extra} snippet(s) that the assembly no longer has: rerun rosetta:extract`);

  // 2. What jsii-pacmak writes, for every language, with the tablet the package:* tasks pass it.
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-translations-'));
  timed('jsii-pacmak --code-only, 4 targets', () => execFileSync(path.join(ROOT, 'node_modules', '.bin', 'jsii-pacmak'), [
    '--code-only', '--rosetta-tablet', TABLET, '--rosetta-unknown-snippets', 'fail', '--outdir', out,
    ...LANGUAGES.flatMap((l) => ['--target', TARGETS[l]]),
  ], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] }));
  const readmeSnippets = expected.filter((s) => s.api.api === 'moduleReadme' && translated.has(s));
  for (const language of LANGUAGES) {
    const files = textFiles(path.join(out, TARGETS[language]));
    const corpus = comparable(files.map((f) => fs.readFileSync(f, 'utf8')).join('\n'));
    for (const [snippet, entry] of translated) {
      if (!corpus.includes(comparable(entry.translations[language].source))) {
        fail(`${snippet.where}: its ${language} translation is not in what jsii-pacmak generated for ${TARGETS[language]}`);
      }
    }
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      if (text.includes(DISCLAIMER)) fail(`${path.relative(out, file)}: holds a snippet marked "${DISCLAIMER}"`);
      if (file.endsWith('.md')) {
        for (const block of codeBlocks(text).filter((b) => TYPESCRIPT_FENCES.has(b.language))) {
          fail(`${path.relative(out, file)}:${block.line}: a TypeScript fence is left untranslated`);
        }
      }
    }
  }

  // The Python README, fence by fence: what a Python user reads on PyPI.
  const pythonReadme = codeBlocks(fs.readFileSync(path.join(out, 'python', 'README.md'), 'utf8'))
    .filter((b) => b.language === 'python');
  if (pythonReadme.length !== readmeSnippets.length) {
    fail(`the Python README has ${pythonReadme.length} python fences; README.md has ${readmeSnippets.length} translated ts fences`);
  }
  readmeSnippets.forEach((snippet, i) => {
    const block = pythonReadme[i];
    if (block && normalizeCode(block.source) !== normalizeCode(translated.get(snippet)!.translations.python.source)) {
      fail(`${snippet.where}: the Python README's fence ${i + 1} is not its Python translation`);
    }
  });

  // 3. The Python against the API jsii-pacmak generates: README fences as generated, doc examples from the tablet.
  const rosettaConfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).jsiiRosetta ?? {};
  const exampleDependencies = Object.keys(rosettaConfig.exampleDependencies ?? {}).map((d) => path.join('node_modules', d));
  const api = timed('Python API index from the jsii assemblies', () => pythonApi(loadAssemblies(ROOT, ['.', ...exampleDependencies])));
  const pythonSnippets = [
    ...readmeSnippets.map((s, i) => ({ id: s.where, source: pythonReadme[i]?.source ?? '' })),
    ...[...translated].filter(([s]) => !readmeSnippets.includes(s)).map(([s, t]) => ({ id: s.where, source: t.translations.python.source })),
  ];
  const checks = timed('python3 check-python.py', () => checkPython(pythonSnippets, api));
  for (const check of checks) {
    for (const finding of check.findings) fail(`${check.id} (Python line ${finding.line}): ${finding.message}`);
  }

  // Report.
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  console.log(`snippets: ${count(expected.length, 'TypeScript snippet')} in the assembly (${readmeSnippets.length} README fences); ${translated.size} in the tablet, compiled, with ${LANGUAGES.join(', ')} translations`);
  console.log(`pacmak:   each translation found in the generated ${LANGUAGES.map((l) => TARGETS[l]).join(', ')} sources; the Python README has ${pythonReadme.length} python fences`);
  console.log('python:   snippet                                   checked calls  unresolved  findings');
  for (const check of checks) {
    console.log(`          ${check.id.padEnd(40)} ${String(check.checkedCalls).padStart(13)}  ${String(check.unresolvedCalls).padStart(10)}  ${String(check.findings.length).padStart(8)}`);
  }
  const sample = pythonReadme.find((b) => /CompliantBackupSystem\(/.test(b.source));
  if (sample) {
    const lines = sample.source.split('\n');
    const at = lines.findIndex((l) => /CompliantBackupSystem\(/.test(l));
    console.log(`sample:   the Python README, fence at line ${sample.line}:\n${lines.slice(at, at + 3).map((l) => `            ${l}`).join('\n')}`);
  }
  for (const [step, seconds] of timings) console.log(`time:     ${step}: ${seconds.toFixed(1)} s`);
  console.log(`time:     this script in all: ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s (compile and rosetta:extract run before it)`);

  if (failures.length > 0) {
    console.error(`\nverify:translations FAILED (${count(failures.length, 'problem')}); pacmak output kept in ${out}`);
    for (const failure of failures) console.error(`  - ${failure}`);
    process.exit(1);
  }
  fs.rmSync(out, { recursive: true, force: true });
  console.log('verify:translations passed');
}

/** Every text file under `dir` that pacmak generates with docs in it. */
function textFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(md|py|java|cs|go)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Code as text in any of the generated files: without comment markers (Javadoc ` * `, C# `///`,
 * Go `//`), indentation, HTML entities (Javadoc escapes a star-slash as `*&#47;`) and blank lines. Applied to both sides.
 */
function comparable(text: string): string {
  return text.split('\n')
    .map((line) => line.replace(/^[\s/*]*/, '').trimEnd())
    .map((line) => line.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#64;/g, '@').replace(/&#47;/g, '/').replace(/&quot;/g, '"').replace(/&amp;/g, '&'))
    .filter((line) => line !== '')
    .join('\n');
}

main();
