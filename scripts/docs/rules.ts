import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { RULE_EXAMPLES, exampleScope } from './rule-examples';
import { ComplianceRuleError } from '../../src/validation/errors';

/**
 * The controls the library enforces at synth, read from its code:
 * - every rule of src/validation/<domain>.ts (an exported function that can throw
 *   ComplianceRuleError), with its doc comment, the section it is in, and the
 *   message it produces for the input of rule-examples.ts;
 * - the limits those files export (values from the code, meaning from each property's comment);
 * - every ComplianceRuleError the constructs throw themselves (file, prop, what is allowed).
 */

export const ROOT = path.resolve(__dirname, '..', '..');
const VALIDATION = path.join(ROOT, 'src', 'validation');

export interface Rule {
  readonly domain: string;
  readonly file: string;
  readonly name: string;
  readonly section?: string;
  readonly doc?: string;
  /** The message the rule produced for its example input, or why there is none. */
  readonly example: string;
  readonly exampleOk: boolean;
}

export interface Limit {
  readonly domain: string;
  readonly group: string;
  readonly name: string;
  readonly value: string;
  readonly doc?: string;
}

export interface ConstructRule {
  readonly file: string;
  readonly prop: string;
  readonly allowed: string;
}

function source(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** The JSDoc text of a node (first paragraph kept whole, tags dropped). */
function docOf(node: ts.Node): string | undefined {
  const docs = (node as any).jsDoc as ts.JSDoc[] | undefined;
  const comment = docs?.map((d) => (typeof d.comment === 'string' ? d.comment : ts.getTextOfJSDocComment(d.comment) ?? '')).join(' ').trim();
  return comment ? comment.replace(/\s+/g, ' ') : undefined;
}

function throwsRule(fn: ts.FunctionDeclaration | ts.VariableStatement): boolean {
  const text = fn.getText();
  return /\bfail\(|new ComplianceRuleError\(/.test(text);
}

export function validationDomains(): string[] {
  return fs.readdirSync(VALIDATION).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.replace(/\.ts$/, '')).sort();
}

function domainName(file: string): string {
  return {
    'audit': 'Audit framework',
    'dr': 'Cross-region DR',
    'errors': 'Common',
    'landing': 'Landing storage and tenants',
    'legal-hold': 'Legal holds',
    'organization': 'Organization',
    'plan': 'Backup plan, tiers and profiles',
    'restore-testing': 'Restore testing',
    'scanning': 'Malware scanning and backup indexes',
    'selection': 'Tag selections',
    'storage-tiers': 'Storage tiers and cold storage',
    'vault': 'Vaults and locks',
  }[file] ?? file;
}

/** Runs a rule's example and returns what it throws. */
function exampleOf(name: string): { example: string; ok: boolean } {
  const trigger = RULE_EXAMPLES[name];
  if (!trigger) return { example: 'no example input recorded (scripts/docs/rule-examples.ts)', ok: false };
  try {
    trigger(exampleScope());
  } catch (e) {
    if (e instanceof ComplianceRuleError) return { example: e.message, ok: true };
    return { example: `the example threw ${(e as Error).name}: ${(e as Error).message}`, ok: false };
  }
  return { example: 'the example input was accepted (scripts/docs/rule-examples.ts)', ok: false };
}

export function readRules(): { rules: Rule[]; limits: Limit[] } {
  const rules: Rule[] = [];
  const limits: Limit[] = [];
  for (const domain of validationDomains()) {
    const file = path.join(VALIDATION, `${domain}.ts`);
    const src = source(file);
    const runtime = require(file); // eslint-disable-line @typescript-eslint/no-require-imports
    let section: string | undefined;
    const sections = [...src.getFullText().matchAll(/^\/\/ --- (.+?) -*$/gm)].map((m) => ({ at: m.index!, title: m[1].trim() }));
    for (const statement of src.statements) {
      section = sections.filter((s) => s.at <= statement.getStart()).pop()?.title ?? section;
      const exported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (!exported) continue;
      if (ts.isFunctionDeclaration(statement) && statement.name && throwsRule(statement) && statement.name.text !== 'fail') {
        const name = statement.name.text;
        const { example, ok } = exampleOf(name);
        rules.push({ domain: domainName(domain), file: `src/validation/${domain}.ts`, name, section, doc: docOf(statement), example, exampleOk: ok });
      }
      if (ts.isVariableStatement(statement)) {
        for (const decl of statement.declarationList.declarations) {
          const init = decl.initializer && ts.isAsExpression(decl.initializer) ? decl.initializer.expression : decl.initializer;
          if (!ts.isIdentifier(decl.name) || !init || !ts.isObjectLiteralExpression(init) || !/LIMITS|VERSIONS/.test(decl.name.text)) continue;
          const group = decl.name.text;
          for (const prop of init.properties) {
            if (!ts.isPropertyAssignment(prop) || !prop.name) continue;
            const key = prop.name.getText().replace(/['"]/g, '');
            const value = runtime[group]?.[key];
            limits.push({
              domain: domainName(domain),
              group,
              name: key,
              doc: docOf(prop),
              value: value instanceof RegExp ? String(value) : Array.isArray(value) ? value.join(', ')
                : typeof value === 'object' ? Object.entries(value).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ') : String(value),
            });
          }
        }
      }
    }
  }
  return { rules, limits };
}

/** `new ComplianceRuleError(scope, prop, value, allowed)` outside src/validation: the constructs' own rules. */
export function readConstructRules(): ConstructRule[] {
  const out: ConstructRule[] = [];
  const visitDir = (dir: string) => {
    for (const entry of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (fs.statSync(full).isDirectory()) {
        if (full !== VALIDATION) visitDir(full);
        continue;
      }
      if (!entry.endsWith('.ts')) continue;
      const src = source(full);
      const visit = (node: ts.Node) => {
        if (ts.isNewExpression(node) && node.expression.getText() === 'ComplianceRuleError' && node.arguments?.length === 4) {
          const text = (e: ts.Expression): string => {
            if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
            if (ts.isTemplateExpression(e)) return e.head.text + e.templateSpans.map((span) => `…${span.literal.text}`).join('');
            if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return text(e.left) + text(e.right);
            if (ts.isParenthesizedExpression(e)) return text(e.expression);
            return '…';
          };
          out.push({ file: path.relative(ROOT, full), prop: text(node.arguments[1]).replace(/\s+/g, ' '), allowed: text(node.arguments[3]).replace(/\s+/g, ' ') });
        }
        ts.forEachChild(node, visit);
      };
      visit(src);
    }
  };
  visitDir(path.join(ROOT, 'src'));
  return out;
}
