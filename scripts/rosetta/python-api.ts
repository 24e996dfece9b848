import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import * as zlib from 'zlib';

/*
 * The Python API of jsii assemblies, as jsii-pacmak names it, for check-python.py: which
 * module exports which type, and each type's constructor, methods and properties with the
 * positional and keyword arguments Python accepts. Names come from the same codemaker
 * function that the installed jsii-pacmak uses; Python keywords get their `_` in the checker.
 */

/** The subset of the jsii assembly schema read here. */
interface JsiiTypeRef { readonly fqn?: string }
interface JsiiParameter { readonly name: string; readonly type: JsiiTypeRef; readonly optional?: boolean; readonly variadic?: boolean }
interface JsiiCallable {
  readonly name?: string;
  readonly parameters?: JsiiParameter[];
  readonly returns?: { readonly type: JsiiTypeRef };
  readonly static?: boolean;
  readonly protected?: boolean;
}
interface JsiiProperty {
  readonly name: string;
  readonly type: JsiiTypeRef;
  readonly optional?: boolean;
  readonly static?: boolean;
  readonly const?: boolean;
  readonly protected?: boolean;
}
interface JsiiType {
  readonly fqn: string;
  readonly name: string;
  readonly namespace?: string;
  readonly kind: 'class' | 'interface' | 'enum';
  readonly datatype?: boolean;
  readonly base?: string;
  readonly interfaces?: string[];
  readonly initializer?: JsiiCallable;
  readonly methods?: JsiiCallable[];
  readonly properties?: JsiiProperty[];
  readonly members?: { readonly name: string }[];
}
export interface JsiiAssembly {
  readonly name: string;
  readonly targets?: { readonly python?: { readonly module: string } };
  readonly dependencies?: Record<string, string>;
  readonly submodules?: Record<string, { readonly targets?: { readonly python?: { readonly module: string } } }>;
  readonly types?: Record<string, JsiiType>;
  readonly readme?: { readonly markdown: string };
}

/** A parameter as Python sees it: snake-case name, and whether a call must pass it. */
export interface PyParameter { readonly name: string; readonly required: boolean }
/** A Python callable: positional parameters (the last one may be `*args`) and lifted keyword-only struct fields. */
export interface PyCallable {
  readonly positional: PyParameter[];
  readonly variadic: boolean;
  readonly keywords: PyParameter[];
  /** The fqn of the returned type when it is a named type. */
  readonly returns?: string;
}
export interface PyType {
  readonly kind: 'class' | 'interface' | 'struct' | 'enum';
  /** Base class and interfaces, whose members this type also has. */
  readonly bases: string[];
  readonly init?: PyCallable;
  readonly statics: Record<string, PyCallable>;
  readonly methods: Record<string, PyCallable>;
  /** Static properties, constants and enum members; the value is the fqn of their type, or null. */
  readonly staticProps: Record<string, string | null>;
  /** Instance properties (struct fields included), with the fqn of their type or null; `required` fields of structs listed apart. */
  readonly props: Record<string, string | null>;
  readonly requiredFields: string[];
  readonly nested: Record<string, string>;
}
export interface PythonApi {
  /** Python module name -> the names it exports -> fqn of the type. */
  readonly modules: Record<string, Record<string, string>>;
  readonly types: Record<string, PyType>;
}

/** Reads a .jsii file, following the gzip redirect that large assemblies such as aws-cdk-lib use. */
export function readAssembly(directory: string): JsiiAssembly {
  const file = path.join(directory, '.jsii');
  const content = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (content.schema === 'jsii/file-redirect') {
    if (content.compression !== 'gzip') throw new Error(`${file}: unsupported redirect compression ${content.compression}`);
    return JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(directory, content.filename))).toString('utf8'));
  }
  return content;
}

/**
 * The assemblies at `roots` (relative to `projectDir`) and every jsii dependency they name, each
 * found in the nearest node_modules above the package that depends on it, as Node finds it.
 */
export function loadAssemblies(projectDir: string, roots: string[]): JsiiAssembly[] {
  const loaded = new Map<string, JsiiAssembly>();
  const load = (directory: string) => {
    const assembly = readAssembly(directory);
    if (loaded.has(assembly.name)) return;
    loaded.set(assembly.name, assembly);
    for (const dependency of Object.keys(assembly.dependencies ?? {})) {
      if (!loaded.has(dependency)) load(packageDirectory(directory, dependency));
    }
  };
  for (const root of roots) load(path.resolve(projectDir, root));
  return [...loaded.values()];
}

function packageDirectory(from: string, name: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, '.jsii'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no jsii assembly for ${name} in node_modules above ${from}`);
  }
}

// jsii-pacmak's own case conversion, from the copy it loads.
const pacmakRequire = createRequire(require.resolve('jsii-pacmak'));
const { toSnakeCase } = pacmakRequire('codemaker') as { toSnakeCase: (name: string) => string };

/** Builds the Python view of `assemblies` (types of assemblies not given stay unknown to the checker). */
export function pythonApi(assemblies: JsiiAssembly[]): PythonApi {
  const modules: Record<string, Record<string, string>> = {};
  const types: Record<string, PyType> = {};
  const allTypes = new Map<string, JsiiType>();
  for (const assembly of assemblies) {
    for (const type of Object.values(assembly.types ?? {})) allTypes.set(type.fqn, type);
  }
  for (const [fqn, type] of allTypes) types[fqn] = pyType(type, allTypes);
  for (const assembly of assemblies) {
    const rootModule = assembly.targets?.python?.module;
    if (!rootModule) continue;
    const moduleOf = submoduleNamer(assembly, rootModule);
    modules[rootModule] ??= {};
    for (const name of Object.keys(assembly.submodules ?? {})) modules[moduleOf(name)] ??= {};
    for (const type of Object.values(assembly.types ?? {})) {
      // A type's namespace is its submodule, or the type it is nested in (CfnBucket.RuleProperty).
      const parentFqn = type.namespace ? `${assembly.name}.${type.namespace}` : assembly.name;
      const parentType = types[parentFqn];
      if (parentType) parentType.nested[type.name] = type.fqn;
      else (modules[moduleOf(parentFqn)] ??= {})[type.name] = type.fqn;
    }
  }
  return { modules, types };
}

function submoduleNamer(assembly: JsiiAssembly, rootModule: string): (fqn: string) => string {
  const cache = new Map<string, string>([[assembly.name, rootModule]]);
  const name = (fqn: string): string => {
    const known = cache.get(fqn);
    if (known) return known;
    const explicit = assembly.submodules?.[fqn]?.targets?.python?.module;
    const parent = fqn.slice(0, fqn.lastIndexOf('.'));
    const result = explicit ?? `${name(parent)}.${fqn.slice(parent.length + 1)}`;
    cache.set(fqn, result);
    return result;
  };
  return name;
}

function pyType(type: JsiiType, allTypes: Map<string, JsiiType>): PyType {
  const kind = type.kind === 'interface' && type.datatype ? 'struct' : type.kind;
  const statics: Record<string, PyCallable> = {};
  const methods: Record<string, PyCallable> = {};
  for (const method of type.methods ?? []) {
    if (method.protected) continue;
    (method.static ? statics : methods)[toSnakeCase(method.name!)] = pyCallable(method, allTypes);
  }
  const staticProps: Record<string, string | null> = {};
  const props: Record<string, string | null> = {};
  for (const property of type.properties ?? []) {
    if (property.protected) continue;
    const name = toSnakeCase(property.name);
    if (property.static) staticProps[property.const ? name.toUpperCase() : name] = property.type.fqn ?? null;
    else props[name] = property.type.fqn ?? null;
  }
  for (const member of type.members ?? []) staticProps[member.name] = type.fqn;
  return {
    kind,
    bases: [...(type.base ? [type.base] : []), ...(type.interfaces ?? [])],
    init: type.kind === 'class' ? initializerOf(type, allTypes) : undefined,
    statics,
    methods,
    staticProps,
    props,
    requiredFields: kind === 'struct' ? (type.properties ?? []).filter((p) => !p.optional).map((p) => toSnakeCase(p.name)) : [],
    nested: {},
  };
}

/** A class without a declared constructor has its base's. */
function initializerOf(type: JsiiType, allTypes: Map<string, JsiiType>): PyCallable | undefined {
  for (let t: JsiiType | undefined = type; t; t = t.base ? allTypes.get(t.base) : undefined) {
    if (t.initializer) return pyCallable(t.initializer, allTypes);
  }
  return undefined;
}

/** jsii-pacmak lifts the fields of a last, non-variadic struct parameter into keyword-only arguments (getliftedProp). */
function pyCallable(callable: JsiiCallable, allTypes: Map<string, JsiiType>): PyCallable {
  const parameters = callable.parameters ?? [];
  const last = parameters[parameters.length - 1];
  const lifted = last && !last.variadic && last.type.fqn ? allTypes.get(last.type.fqn) : undefined;
  const liftedStruct = lifted?.kind === 'interface' && lifted.datatype ? lifted : undefined;
  const positional = liftedStruct ? parameters.slice(0, -1) : parameters;
  return {
    positional: positional.map((p) => ({ name: toSnakeCase(p.name), required: !p.optional && !p.variadic })),
    variadic: !!positional[positional.length - 1]?.variadic,
    // A required field is a required keyword even when the struct parameter is optional, as pacmak emits it.
    keywords: liftedStruct ? structFields(liftedStruct, allTypes).map((f) => ({ name: toSnakeCase(f.name), required: !f.optional })) : [],
    returns: callable.returns?.type.fqn,
  };
}

/** A struct's fields, inherited ones included. */
function structFields(struct: JsiiType, allTypes: Map<string, JsiiType>): JsiiProperty[] {
  const seen = new Set<string>();
  const fields: JsiiProperty[] = [];
  const visit = (t: JsiiType | undefined) => {
    if (!t || seen.has(t.fqn)) return;
    seen.add(t.fqn);
    for (const p of t.properties ?? []) if (!fields.some((f) => f.name === p.name)) fields.push(p);
    for (const base of t.interfaces ?? []) visit(allTypes.get(base));
  };
  visit(struct);
  return fields;
}
