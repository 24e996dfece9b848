"""Checks Python snippets translated by jsii-rosetta against the Python API of jsii assemblies.

Reads JSON on stdin: {"api": <scripts/rosetta/python-api.ts PythonApi>, "snippets": [{"id", "source"}]}.
Writes JSON on stdout: [{"id", "findings": [{"line", "message"}], "checkedCalls", "unresolvedCalls"}].

Per snippet: the source must parse as Python; every import must name a module or type of the API;
every name used must be bound; and wherever the type of an expression follows from the imports
(a class, a static method's return type, a variable assigned from a constructor call, a property
of a known type), attribute accesses must exist and calls must pass arguments that the generated
binding accepts: no more positional arguments than it takes, only keyword arguments it has (a
struct parameter's fields become keyword arguments only when it is the last, non-variadic
parameter), and every required one. Expressions of unknown type are counted, not judged.
"""
import ast
import builtins
import json
import keyword
import sys

BUILTINS = set(dir(builtins))


def py(name):
    """jsii-pacmak appends '_' to names that are Python keywords."""
    return name + "_" if keyword.iskeyword(name) else name


class Api:
    def __init__(self, api):
        self.modules = api["modules"]
        self.types = api["types"]

    def lineage(self, fqn):
        """The type and its bases, nearest first; `complete` is False when a base is not loaded."""
        seen, order, queue, complete = set(), [], [fqn], True
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            t = self.types.get(current)
            if t is None:
                complete = False
                continue
            order.append(t)
            queue.extend(t["bases"])
        return order, complete

    def member(self, fqn, table, name):
        """(found, value) for a member of the type or of a base; None, not (False, _), when a base is missing."""
        order, complete = self.lineage(fqn)
        for t in order:
            for key, value in t[table].items():
                if py(key) == name:
                    return True, value
        return (False, None) if complete else None

    def struct_fields(self, fqn):
        order, _ = self.lineage(fqn)
        fields, required = set(), set()
        for t in order:
            fields.update(py(k) for k in t["props"])
            required.update(py(k) for k in t["requiredFields"])
        return fields, required


class Checker:
    def __init__(self, api):
        self.api = api
        self.env = {}
        self.findings = []
        self.checked = 0
        self.unresolved = 0

    def report(self, node, message):
        self.findings.append({"line": getattr(node, "lineno", 0), "message": message})

    # --- statements

    def statements(self, body):
        for statement in body:
            self.statement(statement)

    def statement(self, s):
        if isinstance(s, ast.ImportFrom):
            self.import_from(s)
        elif isinstance(s, ast.Import):
            for alias in s.names:
                if alias.name not in self.api.modules:
                    self.report(s, f"import {alias.name}: no such module in the jsii assemblies")
                elif alias.asname:
                    self.env[alias.asname] = ("module", alias.name)
                else:
                    root = alias.name.split(".")[0]
                    self.env[root] = ("module", root)
        elif isinstance(s, ast.Assign):
            value = self.expr(s.value)
            for target in s.targets:
                self.bind(target, value)
        elif isinstance(s, ast.AnnAssign):
            value = self.expr(s.value) if s.value else None
            self.bind(s.target, value)
        elif isinstance(s, ast.For):
            self.expr(s.iter)
            self.bind(s.target, None)
            self.statements(s.body)
            self.statements(s.orelse)
        else:
            for child in ast.iter_child_nodes(s):
                if isinstance(child, ast.stmt):
                    self.statement(child)
                elif isinstance(child, ast.expr):
                    self.expr(child)

    def bind(self, target, value):
        if isinstance(target, ast.Name):
            self.env[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.bind(element, None)
        else:
            self.expr(target)

    def import_from(self, s):
        module = s.module or ""
        exports = self.api.modules.get(module)
        if exports is None:
            self.report(s, f"from {module} import ...: no such module in the jsii assemblies")
            return
        for alias in s.names:
            bound = alias.asname or alias.name
            if alias.name in exports:
                self.env[bound] = ("class", exports[alias.name])
            elif f"{module}.{alias.name}" in self.api.modules:
                self.env[bound] = ("module", f"{module}.{alias.name}")
            else:
                self.report(s, f"from {module} import {alias.name}: {module} has no {alias.name}")

    # --- expressions: a value is ("module", name), ("class", fqn), ("instance", fqn),
    # ("callable", signature, description), or None when its type is not known here.

    def expr(self, e):
        if isinstance(e, ast.Name):
            if e.id in self.env:
                return self.env[e.id]
            if e.id not in BUILTINS:
                self.report(e, f"name {e.id} is used but never imported or assigned")
            return None
        if isinstance(e, ast.Attribute):
            return self.attribute(self.expr(e.value), e)
        if isinstance(e, ast.Call):
            callee = self.expr(e.func)
            for argument in e.args:
                self.expr(argument.value if isinstance(argument, ast.Starred) else argument)
            for kw in e.keywords:
                self.expr(kw.value)
            return self.call(callee, e)
        if isinstance(e, ast.Lambda):
            return None  # its parameters are names the body may use
        for child in ast.iter_child_nodes(e):
            if isinstance(child, ast.expr):
                self.expr(child)
            elif isinstance(child, ast.comprehension):
                self.expr(child.iter)
        return None


    def lookup(self, fqn, methods_key, props_key, name):
        """What `name` is on type `fqn`: a callable or a value; None when a base is not loaded
        (the member may be there); False when the type has no such member."""
        method = self.api.member(fqn, methods_key, name)
        prop = self.api.member(fqn, props_key, name)
        if method is None or prop is None:
            return None
        if method[0]:
            return ("callable", method[1], f"{short(fqn)}.{name}")
        if prop[0]:
            return ("instance", prop[1]) if prop[1] else None
        return False
    def attribute(self, base, e):
        name = e.attr
        if base is None:
            return None
        kind = base[0]
        if kind == "module":
            module = base[1]
            exports = self.api.modules.get(module, {})
            if name in exports:
                return ("class", exports[name])
            if f"{module}.{name}" in self.api.modules:
                return ("module", f"{module}.{name}")
            self.report(e, f"{module}.{name}: {module} has no {name}")
            return None
        if kind == "class":
            fqn = base[1]
            t = self.api.types.get(fqn)
            if t is None:
                return None
            for nested, nested_fqn in t["nested"].items():
                if nested == name:
                    return ("class", nested_fqn)
            found = self.lookup(fqn, "statics", "staticProps", name)
            if found is not False:
                return found
            on_instances = (self.api.member(fqn, "methods", name) or (False,))[0] or (self.api.member(fqn, "props", name) or (False,))[0]
            why = "an instance member, not a static one" if on_instances else "no such static member"
            self.report(e, f"{short(fqn)}.{name}: {why}")
            return None
        if kind == "instance":
            fqn = base[1]
            if fqn not in self.api.types:
                return None
            found = self.lookup(fqn, "methods", "props", name)
            if found is not False:
                return found
            self.report(e, f"{short(fqn)} has no attribute {name}")
            return None
        return None

    def call(self, callee, e):
        if callee is None:
            self.unresolved += 1
            return None
        if callee[0] == "class":
            fqn = callee[1]
            t = self.api.types.get(fqn)
            if t is None:
                self.unresolved += 1
                return None
            if t["kind"] == "struct":
                self.check_struct(fqn, e)
                return ("instance", fqn)
            if t["kind"] != "class":
                self.report(e, f"{short(fqn)}(...): a {t['kind']} cannot be instantiated")
                return None
            if t.get("init") is None:
                self.unresolved += 1
                return ("instance", fqn)
            self.check_signature(t["init"], e, short(fqn))
            return ("instance", fqn)
        if callee[0] == "callable":
            signature, description = callee[1], callee[2]
            self.check_signature(signature, e, description)
            returns = signature.get("returns")
            return ("instance", returns) if returns else None
        self.unresolved += 1
        return None

    def check_struct(self, fqn, e):
        self.checked += 1
        if any(isinstance(k, ast.keyword) and k.arg is None for k in e.keywords):
            return
        fields, required = self.api.struct_fields(fqn)
        if e.args:
            self.report(e, f"{short(fqn)}(...) takes keyword arguments only, got {len(e.args)} positional")
        given = {k.arg for k in e.keywords}
        for name in sorted(given - fields):
            self.report(e, f"{short(fqn)}(...) has no field {name}")
        for name in sorted(required - given):
            self.report(e, f"{short(fqn)}(...) is missing required field {name}")

    def check_signature(self, signature, e, description):
        self.checked += 1
        if any(isinstance(a, ast.Starred) for a in e.args) or any(k.arg is None for k in e.keywords):
            return
        positional = signature["positional"]
        variadic = signature["variadic"]
        fixed = positional[:-1] if variadic else positional
        if len(e.args) > len(fixed) and not variadic:
            self.report(e, f"{description}() takes {len(fixed)} positional argument(s), got {len(e.args)}")
        allowed = {py(p["name"]) for p in fixed} | {py(k["name"]) for k in signature["keywords"]}
        given = [k.arg for k in e.keywords]
        for name in given:
            if name not in allowed:
                takes = ", ".join(sorted(allowed)) or "none"
                star = f"; its last parameter *{py(positional[-1]['name'])} is variadic" if variadic else ""
                self.report(e, f"{description}() has no keyword argument {name} (keywords it takes: {takes}{star})")
        for index, p in enumerate(fixed):
            if p["required"] and index >= len(e.args) and py(p["name"]) not in given:
                self.report(e, f"{description}() is missing required argument {py(p['name'])}")
        for k in signature["keywords"]:
            if k["required"] and py(k["name"]) not in given:
                self.report(e, f"{description}() is missing required keyword argument {py(k['name'])}")


def short(fqn):
    return fqn.split(".", 1)[1] if "." in fqn else fqn


def check(api, snippet):
    checker = Checker(api)
    try:
        tree = ast.parse(snippet["source"])
    except SyntaxError as error:
        checker.findings.append({"line": error.lineno or 0, "message": f"does not parse as Python: {error.msg}"})
    else:
        checker.statements(tree.body)
    return {
        "id": snippet["id"],
        "findings": checker.findings,
        "checkedCalls": checker.checked,
        "unresolvedCalls": checker.unresolved,
    }


def main():
    request = json.load(sys.stdin)
    api = Api(request["api"])
    json.dump([check(api, s) for s in request["snippets"]], sys.stdout)


if __name__ == "__main__":
    main()
