import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// The README's TypeScript examples must compile against the library as users import it.
const root = path.resolve(__dirname, '..');

function readmeSnippets(): string[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

test('README has TypeScript examples', () => {
  expect(readmeSnippets().length).toBeGreaterThanOrEqual(3);
});

test('every README TypeScript example compiles', () => {
  const dir = fs.mkdtempSync(path.join(root, 'scratch-readme-'));
  try {
    const files = readmeSnippets().map((code, i) => {
      const file = path.join(dir, `snippet-${i}.ts`);
      // Each snippet is its own module, like a user's file.
      fs.writeFileSync(file, `${code}\nexport {};\n`);
      return file;
    });
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      types: ['node'],
      baseUrl: root,
      paths: { 'cdk-compliant-backup': ['src/index.ts'] },
    };
    const program = ts.createProgram(files, options);
    const diagnostics = ts.getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.includes(path.resolve(d.file.fileName)))
      .map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
