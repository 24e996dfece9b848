import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * A snippet inside its jsii-rosetta fixture (`rosetta/NAME.ts-fixture`), composed the way
 * rosetta composes it, so that the test synthesizes exactly what rosetta compiles: the
 * snippet's imports are hoisted to the top, the rest replaces the `/// here` line.
 */
export function composeWithFixture(rosettaDir: string, fixture: string, snippet: string): string {
  const file = path.join(rosettaDir, `${fixture}.ts-fixture`);
  if (!fs.existsSync(file)) throw new Error(`fixture ${fixture} not found: ${file}`);
  const contents = fs.readFileSync(file, 'utf8');
  const here = /^[ \t]*\/\/\/[ \t]*here[ \t]*$/m;
  if (!here.test(contents)) throw new Error(`${file} has no '/// here' line`);
  const { imports, statements } = splitImports(snippet);
  return [imports, contents.replace(here, () => statements)].join('\n');
}

function splitImports(source: string): { imports: string; statements: string } {
  const file = ts.createSourceFile('snippet.ts', source, ts.ScriptTarget.Latest, true);
  const imports: string[] = [];
  const statements: string[] = [];
  for (const statement of file.statements) {
    const text = source.slice(statement.getFullStart(), statement.getEnd());
    (ts.isImportDeclaration(statement) ? imports : statements).push(text);
  }
  return { imports: imports.join(''), statements: statements.join('') };
}
