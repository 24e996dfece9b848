import { App } from 'aws-cdk-lib';
import * as ts from 'typescript';

/**
 * Runs a composed snippet as a user's app runs under `cdk synth`, in this process (so
 * that it shares the aws-cdk-lib and library modules jest has already loaded), and returns
 * the App the fixture exports. `cdk-compliant-backup` resolves to the library's sources;
 * every other import is the installed package. Type errors are reported by the compile test.
 */
export function runSnippet(source: string, library: unknown, name: string): App {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: `${name}.ts`,
  });
  // A snippet's imports are resolved like this file's: the packages installed in this repository.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (id: string): unknown => (id === 'cdk-compliant-backup' ? library : require(id));
  const module = { exports: {} as Record<string, unknown> };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('require', 'module', 'exports', outputText)(load, module, module.exports);
  const app = module.exports.app;
  if (!(app instanceof App)) throw new Error(`${name} does not create an App named 'app'`);
  return app;
}
