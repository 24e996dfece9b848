import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The AWS API calls each Lambda handler makes, found by reading its source (and
 * every lambda-src module it imports): each `new <Name>Command(...)` and each
 * `paginate<Name>(...)` whose name is imported from an `@aws-sdk/*` package, mapped
 * to the IAM actions AWS authorizes the call with. A handler that starts calling a
 * new API shows up here without anyone listing it.
 */

export const LAMBDA_SRC = path.resolve(__dirname, '..', '..', 'lambda-src');

/** One SDK call site. */
export interface SdkCall {
  /** `@aws-sdk/client-s3`, `@aws-sdk/lib-dynamodb`, ... */
  readonly sdkPackage: string;
  /** The API operation, e.g. `GetObject`. */
  readonly operation: string;
  /** The IAM actions the call needs, e.g. `['s3:GetObject', 's3:GetObjectVersion']`. */
  readonly actions: string[];
  /** `lambda-src/<file>:<line>`. */
  readonly where: string;
}

/** The IAM service prefix of each SDK package the handlers use. */
const SERVICE_OF_PACKAGE: Record<string, string> = {
  '@aws-sdk/client-backup': 'backup',
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-kms': 'kms',
  '@aws-sdk/client-rds': 'rds',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-sqs': 'sqs',
  '@aws-sdk/client-ssm': 'ssm',
  '@aws-sdk/client-sts': 'sts',
};

/** lib-dynamodb's document commands and the DynamoDB operations they send. */
const DOCUMENT_COMMANDS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
  ExecuteStatement: 'ExecuteStatement',
};

/**
 * Operations authorized by an action of another name (Service Authorization Reference:
 * "Actions defined by Amazon S3" lists HeadObject under GetObject, HeadBucket and
 * ListObjectsV2 under ListBucket). A call with `VersionId` is authorized by the
 * `...Version` action as well.
 */
const S3_ACTIONS: Record<string, string[]> = {
  HeadObject: ['GetObject'],
  HeadBucket: ['ListBucket'],
  ListObjectsV2: ['ListBucket'],
  ListObjects: ['ListBucket'],
  ListObjectVersions: ['ListBucketVersions'],
  GetObjectAttributes: ['GetObject', 'GetObjectAttributes'],
};

function actionsOf(sdkPackage: string, operation: string, withVersionId: boolean): string[] {
  const service = SERVICE_OF_PACKAGE[sdkPackage];
  if (!service) throw new Error(`handler-sdk-calls: no IAM service known for ${sdkPackage}; add it to SERVICE_OF_PACKAGE`);
  if (service === 's3') {
    const names = S3_ACTIONS[operation] ?? [operation];
    const versioned = withVersionId && ['GetObject', 'HeadObject', 'GetObjectAttributes'].includes(operation) ? ['GetObjectVersion'] : [];
    return [...names, ...versioned].map((n) => `s3:${n}`);
  }
  return [`${service}:${operation}`];
}

/** Relative imports of a module, resolved to files of lambda-src. */
function localImports(file: string, source: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const spec = statement.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), spec.text);
    const candidate = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
    if (candidate) out.push(candidate);
  }
  return out;
}

/** Imported names that come from an @aws-sdk package: local name -> [package, imported name]. */
function sdkImports(source: ts.SourceFile): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const pkg = statement.moduleSpecifier.text;
    if (!pkg.startsWith('@aws-sdk/')) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      out.set(element.name.text, [pkg, (element.propertyName ?? element.name).text]);
    }
  }
  return out;
}

function hasProperty(node: ts.Expression | undefined, name: string): boolean {
  return node !== undefined && ts.isObjectLiteralExpression(node)
    && node.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === name);
}

function callsIn(file: string, source: ts.SourceFile): SdkCall[] {
  const imports = sdkImports(source);
  const calls: SdkCall[] = [];
  const where = (node: ts.Node) => `${path.relative(path.dirname(LAMBDA_SRC), file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression)) {
      const imported = imports.get(node.expression.text);
      if (imported) {
        const [sdkPackage, name] = imported;
        let operation: string | undefined;
        if (ts.isNewExpression(node) && /Command$/.test(name)) {
          const base = name.replace(/Command$/, '');
          operation = sdkPackage === '@aws-sdk/lib-dynamodb' ? DOCUMENT_COMMANDS[base] : base;
          if (operation === undefined) throw new Error(`handler-sdk-calls: unknown lib-dynamodb command ${name} at ${where(node)}`);
        } else if (ts.isCallExpression(node) && /^paginate[A-Z]/.test(name)) {
          operation = name.replace(/^paginate/, '');
        }
        if (operation !== undefined) {
          calls.push({ sdkPackage, operation, actions: actionsOf(sdkPackage, operation, hasProperty(node.arguments?.[0], 'VersionId')), where: where(node) });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return calls;
}

/** Every SDK call a handler (`lambda-src/<name>.lambda.ts`) makes, through every lambda-src module it imports. */
export function handlerSdkCalls(handler: string): SdkCall[] {
  const entry = path.join(LAMBDA_SRC, `${handler}.lambda.ts`);
  if (!fs.existsSync(entry)) throw new Error(`handler-sdk-calls: no handler ${entry}`);
  const seen = new Set<string>();
  const queue = [entry];
  const calls: SdkCall[] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    calls.push(...callsIn(file, source));
    queue.push(...localImports(file, source));
  }
  return calls;
}

/** The handler names: every `lambda-src/*.lambda.ts`. */
export function handlerNames(): string[] {
  return fs.readdirSync(LAMBDA_SRC).filter((f) => f.endsWith('.lambda.ts')).map((f) => f.replace(/\.lambda\.ts$/, '')).sort();
}

/** The IAM actions a handler needs, each with the call sites that need it. */
export function handlerActions(handler: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const call of handlerSdkCalls(handler)) {
    for (const action of call.actions) out.set(action, [...(out.get(action) ?? []), call.where]);
  }
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
