"""Runs the composite steps of action.yml as a GitHub runner would, outside GitHub.

A simulated runner: a temporary workspace (the current directory), RUNNER_TEMP, the
GITHUB_OUTPUT/GITHUB_ENV/GITHUB_PATH files of each step and GITHUB_STEP_SUMMARY; `${{ }}`
expressions in env:, with:, if: and the outputs, evaluated by a small evaluator that knows only
what action.yml uses and raises on anything else (so no step is skipped by a misread
condition); actions/cache/restore and actions/cache/save against a local directory.

Used by tests/action/cases.py; run as a script it runs the action once:
  simulate.py ACTION_DIR STORE_DIR key=value...   (the inputs)
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml


class ExpressionError(Exception):
    pass


_TOKEN = re.compile(r"\s*(?:(\|\||&&|==|!=|!|\(|\))|'((?:[^']|'')*)'|([A-Za-z_][A-Za-z0-9_.-]*))")


def _tokens(text):
    pos, out = 0, []
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise ExpressionError(f"cannot read `{text[pos:]}` in `{text}`")
        op, string, name = m.groups()
        if op:
            out.append(("op", op))
        elif string is not None:
            out.append(("str", string.replace("''", "'")))
        else:
            out.append(("name", name))
        pos = m.end()
    return out


class Evaluator:
    """`||`, `&&`, `!`, `==`, `!=` (case-insensitive, as GitHub compares strings), parentheses,
    '...' strings, always()/success()/failure(), and the contexts inputs.X, github.action_path,
    github.workspace, runner.os/arch/temp, steps.ID.outputs.K and steps.ID.outcome."""

    def __init__(self, contexts, inputs_declared, steps_known, failed):
        self.contexts = contexts
        self.inputs_declared = inputs_declared
        self.steps_known = steps_known
        self.failed = failed

    def evaluate(self, text):
        self.toks, self.i, self.text = _tokens(text), 0, text
        value = self._or()
        if self.i != len(self.toks):
            raise ExpressionError(f"unexpected `{self.toks[self.i][1]}` in `{text}`")
        return value

    def _peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def _take(self, kind, value=None):
        tok = self._peek()
        if tok[0] != kind or (value is not None and tok[1] != value):
            raise ExpressionError(f"expected {value or kind} in `{self.text}`")
        self.i += 1
        return tok[1]

    def _or(self):
        left = self._and()
        while self._peek() == ("op", "||"):
            self.i += 1
            right = self._and()
            left = left if _truthy(left) else right
        return left

    def _and(self):
        left = self._not()
        while self._peek() == ("op", "&&"):
            self.i += 1
            right = self._not()
            left = right if _truthy(left) else left
        return left

    def _not(self):
        if self._peek() == ("op", "!"):
            self.i += 1
            return not _truthy(self._not())
        return self._compare()

    def _compare(self):
        left = self._primary()
        tok = self._peek()
        if tok in (("op", "=="), ("op", "!=")):
            self.i += 1
            right = self._primary()
            if not isinstance(left, str) or not isinstance(right, str):
                raise ExpressionError(f"only strings are compared here: `{self.text}`")
            same = left.lower() == right.lower()
            return same if tok[1] == "==" else not same
        return left

    def _primary(self):
        kind, value = self._peek()
        if (kind, value) == ("op", "("):
            self.i += 1
            inner = self._or()
            self._take("op", ")")
            return inner
        if kind == "str":
            self.i += 1
            return value
        if kind == "name":
            self.i += 1
            if self._peek() == ("op", "("):
                self.i += 1
                if self._peek() != ("op", ")"):
                    raise ExpressionError(f"function `{value}()` with arguments is not simulated")
                self.i += 1
                return self._call(value)
            return self._lookup(value)
        raise ExpressionError(f"unexpected end of `{self.text}`")

    def _call(self, name):
        if name == "always":
            return True
        if name == "success":
            return not self.failed
        if name == "failure":
            return self.failed
        raise ExpressionError(f"function `{name}()` is not simulated")

    def _lookup(self, path):
        parts = path.split(".")
        head = parts[0]
        if head == "inputs" and len(parts) == 2:
            if parts[1] not in self.inputs_declared:
                raise ExpressionError(f"`{path}` is not an input of action.yml")
            return self.contexts["inputs"].get(parts[1], "")
        if head in ("github", "runner") and len(parts) == 2:
            if parts[1] not in self.contexts[head]:
                raise ExpressionError(f"`{path}` is not simulated")
            return self.contexts[head][parts[1]]
        if head == "steps" and len(parts) >= 3:
            step = parts[1]
            if step not in self.steps_known:
                raise ExpressionError(f"`{path}`: no step `{step}` runs before this one")
            record = self.contexts["steps"].get(step, {"outputs": {}, "outcome": "skipped"})
            if parts[2] == "outputs" and len(parts) == 4:
                return record["outputs"].get(parts[3], "")
            if parts[2] == "outcome" and len(parts) == 3:
                return record["outcome"]
        raise ExpressionError(f"`{path}` is not simulated")


def _truthy(value):
    return value if isinstance(value, bool) else value != ""


_TEMPLATE = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def substitute(text, evaluator):
    def one(m):
        value = evaluator.evaluate(m.group(1))
        if isinstance(value, bool):
            return "true" if value else "false"
        return value

    return _TEMPLATE.sub(one, str(text))


def condition(text, evaluator):
    text = str(text).strip()
    m = re.fullmatch(r"\$\{\{(.*)\}\}", text, re.S)
    return _truthy(evaluator.evaluate(m.group(1) if m else text))


def parse_output_file(path):
    """GITHUB_OUTPUT / GITHUB_ENV: `k=v` lines and `k<<DELIM` ... `DELIM` blocks."""
    out = {}
    if not os.path.exists(path):
        return out
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line == "":
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delim = line.split("<<", 1)
            body = []
            while i < len(lines) and lines[i] != delim:
                body.append(lines[i])
                i += 1
            if i == len(lines):
                raise ValueError(f"{path}: `{key}<<{delim}` is never closed")
            i += 1
            out[key] = "\n".join(body)
        elif "=" in line:
            key, value = line.split("=", 1)
            out[key] = value
        else:
            raise ValueError(f"{path}: cannot read `{line}`")
    return out


class Result:
    def __init__(self):
        self.steps = {}  # id (or name) -> {"outcome", "outputs", "stdout", "stderr", "ran"}
        self.order = []
        self.outputs = {}
        self.failed = False
        self.exit_code = 0
        self.stdout = ""
        self.summary = ""


def run_action(action_dir, inputs, workspace, runner_temp, store, env_extra=None):
    """Runs action_dir/action.yml with `inputs` in `workspace`; returns a Result."""
    action = yaml.safe_load(open(os.path.join(action_dir, "action.yml"), encoding="utf-8"))
    declared = action.get("inputs", {})
    for name in inputs:
        if name not in declared:
            raise ExpressionError(f"input `{name}` is not declared in action.yml")
    values = {}
    for name, spec in declared.items():
        if name in inputs:
            values[name] = inputs[name]
        elif spec.get("required"):
            raise ExpressionError(f"required input `{name}` is missing")
        else:
            values[name] = str(spec.get("default", ""))
    contexts = {
        "inputs": values,
        "github": {"action_path": action_dir, "workspace": workspace},
        "runner": {"os": "Linux", "arch": "X64", "temp": runner_temp},
        "steps": {},
    }
    files = tempfile.mkdtemp(prefix="runner-files-", dir=runner_temp)
    summary = os.path.join(files, "step_summary")
    open(summary, "w").close()
    env = dict(os.environ)
    for k in list(env):
        if k.startswith(("GITHUB_", "RUNNER_", "INPUT_", "TFWARDEN_")) or k in ("ImageOS", "ImageVersion"):
            del env[k]
    env.update(
        {
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": workspace,
            "GITHUB_ACTION_PATH": action_dir,
            "GITHUB_STEP_SUMMARY": summary,
            "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
            "RUNNER_TEMP": runner_temp,
        }
    )
    env.update(env_extra or {})
    result = Result()
    known = set()
    steps = action["runs"]["steps"]
    if action["runs"].get("using") != "composite":
        raise ExpressionError("action.yml is not a composite action")
    for index, step in enumerate(steps):
        sid = step.get("id", f"__step{index}")
        unknown = set(step) - {"name", "id", "if", "shell", "run", "env", "uses", "with"}
        if unknown:
            raise ExpressionError(f"step `{sid}`: {', '.join(sorted(unknown))} not simulated")
        evaluator = Evaluator(contexts, declared, known, result.failed)
        record = {"outcome": "skipped", "outputs": {}, "stdout": "", "stderr": "", "ran": False}
        known.add(sid)
        result.steps[sid] = record
        result.order.append(sid)
        contexts["steps"][sid] = record
        if not condition(step.get("if", "success()"), evaluator):
            continue
        record["ran"] = True
        step_env = {k: substitute(v, evaluator) for k, v in (step.get("env") or {}).items()}
        with_ = {k: substitute(v, evaluator) for k, v in (step.get("with") or {}).items()}
        if "run" in step:
            if "${{" in step["run"]:
                raise ExpressionError(f"step `{sid}`: an expression inside run:")
            if step.get("shell") != "bash":
                raise ExpressionError(f"step `{sid}`: only shell: bash is simulated")
            ok = _run_step(step, sid, record, env, step_env, workspace, files, result)
        elif "uses" in step:
            ok = _uses_step(step["uses"], with_, record, store)
        else:
            raise ExpressionError(f"step `{sid}` neither runs nor uses")
        record["outcome"] = "success" if ok else "failure"
        if not ok:
            result.failed = True
    evaluator = Evaluator(contexts, declared, known, result.failed)
    for name, spec in (action.get("outputs") or {}).items():
        result.outputs[name] = substitute(spec["value"], evaluator)
    result.summary = open(summary, encoding="utf-8").read()
    result.stdout = "".join(result.steps[s]["stdout"] for s in result.order)
    return result


def _run_step(step, sid, record, env, step_env, workspace, files, result):
    paths = {}
    for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH"):
        paths[name] = os.path.join(files, f"{sid}.{name.lower()}")
        open(paths[name], "w").close()
    script = os.path.join(files, f"{sid}.sh")
    with open(script, "w", encoding="utf-8") as f:
        f.write(step["run"])
    full_env = dict(env)
    full_env.update(step_env)
    full_env.update(paths)
    cwd = workspace
    # GitHub's `shell: bash`: bash --noprofile --norc -eo pipefail {0}
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
    )
    record["stdout"], record["stderr"], record["exit_code"] = proc.stdout, proc.stderr, proc.returncode
    record["outputs"] = parse_output_file(paths["GITHUB_OUTPUT"])
    env.update(parse_output_file(paths["GITHUB_ENV"]))
    for line in open(paths["GITHUB_PATH"], encoding="utf-8").read().splitlines():
        if line:
            env["PATH"] = line + os.pathsep + env["PATH"]
    if proc.returncode != 0 and not result.failed:
        result.exit_code = proc.returncode
    return proc.returncode == 0


def _uses_step(uses, with_, record, store):
    if uses == "actions/cache/restore@v4":
        path, key = with_["path"], with_["key"]
        restore_keys = [k.strip() for k in with_.get("restore-keys", "").splitlines() if k.strip()]
        stored = os.listdir(store) if os.path.isdir(store) else []
        matched = key if key in stored else ""
        for prefix in restore_keys:
            if matched:
                break
            candidates = [k for k in stored if k.startswith(prefix)]
            if candidates:
                matched = max(candidates, key=lambda k: os.path.getmtime(os.path.join(store, k)))
        if matched:
            if os.path.exists(path):
                shutil.rmtree(path)
            shutil.copytree(os.path.join(store, matched), path, symlinks=True)
        record["outputs"] = {
            "cache-hit": "true" if matched == key else "false",
            "cache-primary-key": key,
            "cache-matched-key": matched,
        }
        record["stdout"] = f"cache restore: {matched or 'miss'}\n"
        return True
    if uses == "actions/cache/save@v4":
        path, key = with_["path"], with_["key"]
        if not key:
            raise ExpressionError("actions/cache/save: empty key")
        target = os.path.join(store, key)
        if os.path.exists(target):
            record["stdout"] = f"cache save: {key} exists, not saved\n"
            return True
        if not os.path.isdir(path):
            record["stdout"] = f"cache save: {path} does not exist, nothing saved\n"
            return True
        os.makedirs(store, exist_ok=True)
        shutil.copytree(path, target, symlinks=True)
        record["stdout"] = f"cache save: {key}\n"
        return True
    raise ExpressionError(f"`uses: {uses}` is not simulated")


if __name__ == "__main__":
    given = dict(arg.split("=", 1) for arg in sys.argv[3:])
    temp = tempfile.mkdtemp(prefix="runner-temp-")
    res = run_action(os.path.abspath(sys.argv[1]), given, os.getcwd(), temp, os.path.abspath(sys.argv[2]))
    for sid in res.order:
        step = res.steps[sid]
        print(f"--- {sid}: {step['outcome']}")
        sys.stdout.write(step["stdout"] + step["stderr"])
    print("--- outputs:", res.outputs)
    sys.exit(res.exit_code if res.failed else 0)
