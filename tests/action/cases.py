"""The Action's cases in a simulated runner (tests/action/simulate.py); see tests/action/run.sh.

  cases.py REPO TFWARDEN_BINARY

The release package is a tarball made here from TFWARDEN_BINARY in the package's layout
(tfwarden-VERSION-linux-x86_64/bin/tfwarden and lib/), served from a file:// URL through the
test-only TFWARDEN_PACKAGE_BASE_URL; the source build copies TFWARDEN_BINARY through the
test-only TFWARDEN_ACTION_PREBUILT, so what is checked is the choice of the fallback, not the
compiler.
"""

import atexit
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simulate  # noqa: E402

repo, binary = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
work = tempfile.mkdtemp(prefix="tfwarden-action-test-")
atexit.register(shutil.rmtree, work, True)
failures = []
checks = 0


def check(what, ok, detail=""):
    global checks
    checks += 1
    if not ok:
        detail = str(detail)[:3000]
        failures.append(what)
        print(f"FAIL {what}{': ' + detail if detail else ''}")


def static_checks():
    action = yaml.safe_load(open(os.path.join(repo, "action.yml"), encoding="utf-8"))
    steps = action["runs"]["steps"]
    for step in steps:
        if "run" in step:
            check(
                f"step `{step.get('id', step.get('name'))}` has no ${{{{ in run:",
                "${{" not in step["run"],
                step["run"],
            )
    # Every expression anywhere in the file is one the simulator understands (the run of the
    # steps evaluates the reachable ones; this also covers those of skipped steps).
    known = {s["id"] for s in steps if "id" in s}
    ev = simulate.Evaluator(
        {
            "inputs": {},
            "github": {"action_path": "", "workspace": ""},
            "runner": {"os": "", "arch": "", "temp": ""},
            "steps": {},
        },
        action["inputs"],
        known,
        False,
    )
    text = open(os.path.join(repo, "action.yml"), encoding="utf-8").read()
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for expr in re.findall(r"\$\{\{(.*?)\}\}", body):
        try:
            ev.evaluate(expr)
        except simulate.ExpressionError as e:
            check(f"expression `{expr.strip()}` is understood", False, str(e))
    for step in steps:
        if "if" in step:
            try:
                simulate.condition(step["if"], ev)
            except simulate.ExpressionError as e:
                check(f"if: `{step['if']}` is understood", False, str(e))
    sample = os.path.join(work, "output-sample")
    with open(sample, "w") as f:
        f.write("a=1\nb<<EOF_1\nline one\nc=not a key\nEOF_1\nd=x=y\n")
    check(
        "GITHUB_OUTPUT: k=v and k<<DELIM forms",
        simulate.parse_output_file(sample) == {"a": "1", "b": "line one\nc=not a key", "d": "x=y"},
    )
    check(
        "the simulator rejects what it does not know",
        _rejects("hashFiles('x') != ''") and _rejects("github.token") and _rejects("steps.nope.outputs.x"),
    )
    for name in ("plan", "config", "fail-on", "source-dir", "sarif-file", "extra-args"):
        check(f"input `{name}` is declared", name in action["inputs"])
    check("source-dir defaults to .", str(action["inputs"]["source-dir"].get("default")) == ".")
    for name in ("exit-code", "sarif-file", "findings", "undecided"):
        check(f"output `{name}` is declared", name in (action.get("outputs") or {}))
    return action


def _rejects(expr):
    ev = simulate.Evaluator({"inputs": {}, "github": {}, "runner": {}, "steps": {}}, {}, set(), False)
    try:
        ev.evaluate(expr)
    except simulate.ExpressionError:
        return True
    return False


def version():
    m = re.search(
        r"^project\(tfwarden VERSION ([0-9][^ )]*)", open(os.path.join(repo, "CMakeLists.txt")).read(), re.M
    )
    return m.group(1)


releases = {}


def make_release(v, corrupt=False):
    """A release directory with the package and its .sha256 as scripts/package lays them out,
    from `binary` (made once; `corrupt`: a copy whose checksum does not match)."""
    name = f"tfwarden-{v}-linux-x86_64"
    if corrupt in releases:
        return releases[corrupt]
    where = os.path.join(work, "releases-corrupt" if corrupt else "releases")
    root = os.path.join(where, "tree", name)
    os.makedirs(os.path.join(root, "bin"))
    os.makedirs(os.path.join(root, "lib"))
    shutil.copy2(binary, os.path.join(root, "bin", "tfwarden"))
    tarball = os.path.join(where, f"{name}.tar.gz")
    with tarfile.open(tarball, "w:gz", compresslevel=1) as tar:
        tar.add(root, arcname=name)
    digest = hashlib.sha256(open(tarball, "rb").read()).hexdigest()
    if corrupt:
        digest = ("0" if digest[0] != "0" else "1") + digest[1:]
    with open(tarball + ".sha256", "w") as f:
        f.write(f"{digest}  {name}.tar.gz\n")
    shutil.rmtree(os.path.join(where, "tree"))
    releases[corrupt] = "file://" + where
    return releases[corrupt]


counter = 0


def run(label, inputs, store, env, files=()):
    """One job: a fresh workspace holding `files` (dest -> source) and a fresh RUNNER_TEMP."""
    global counter
    counter += 1
    job = os.path.join(work, f"job{counter}")
    workspace, temp = os.path.join(job, "workspace"), os.path.join(job, "temp")
    os.makedirs(workspace)
    os.makedirs(temp)
    for dest, src in files:
        target = os.path.join(workspace, dest)
        os.makedirs(os.path.dirname(target) or workspace, exist_ok=True)
        if os.path.isdir(src):
            shutil.copytree(src, target, dirs_exist_ok=True)
        else:
            shutil.copy2(src, target)
    res = simulate.run_action(repo, inputs, workspace, temp, store, env)
    res.workspace, res.temp, res.label = workspace, temp, label
    res.log = "".join(
        f"--- {s} ({res.steps[s]['outcome']})\n{res.steps[s]['stdout']}{res.steps[s]['stderr']}"
        for s in res.order
    )
    print(f"{label}: exit {res.exit_code if res.failed else 0}, outputs {res.outputs}")
    return res


def code(res):
    return res.exit_code if res.failed else 0


def install_step(res):
    return res.steps["install"]


def save_step(res):
    return res.steps["save"]


def expect_sarif(res):
    path = res.outputs["sarif-file"]
    check(
        f"{res.label}: sarif-file is absolute, in the workspace",
        path == os.path.join(res.workspace, "tfwarden.sarif"),
        path,
    )
    try:
        sarif = json.load(open(path, encoding="utf-8"))
        check(f"{res.label}: SARIF version 2.1.0", sarif.get("version") == "2.1.0", sarif.get("version"))
    except (OSError, ValueError) as e:
        check(f"{res.label}: SARIF is JSON", False, str(e))


def report(res):
    return json.load(open(os.path.join(res.temp, "tfwarden.json"), encoding="utf-8"))


def linted(res):
    """The inputs of the JSON report the action wrote, sorted."""
    path = os.path.join(res.temp, "tfwarden.json")
    return sorted(i["input"] for i in report(res)["inputs"]) if os.path.exists(path) else []


reference = os.path.join(repo, "fixtures/reference-platform/plan.json")
findings_plan = os.path.join(repo, "tests/fixtures/plans/findings.json")
source_map = os.path.join(repo, "tests/fixtures/source-map")
v = version()


def package_path():
    """The release package: downloaded on a miss, restored on the next job."""
    store = os.path.join(work, "store-package")
    env = {"TFWARDEN_PACKAGE_BASE_URL": make_release(v)}
    package_key = f"tfwarden-{v}-Linux-X64-package"

    a = run(
        "package, cache miss, reference plan", {"plan": "plan.json"}, store, env, [("plan.json", reference)]
    )
    check(f"{a.label}: exit 0", code(a) == 0 and a.outputs["exit-code"] == "0", a.log)
    check(
        f"{a.label}: findings=0 undecided=0",
        (a.outputs["findings"], a.outputs["undecided"]) == ("0", "0"),
        a.outputs,
    )
    check(
        f"{a.label}: installed from the package", install_step(a)["outputs"].get("method") == "package", a.log
    )
    check(f"{a.label}: downloaded", "downloading file://" in install_step(a)["stdout"], a.log)
    check(f"{a.label}: restore missed", a.steps["restore"]["outputs"]["cache-matched-key"] == "", a.log)
    check(
        f"{a.label}: saved under {package_key}",
        save_step(a)["ran"] and os.path.isdir(os.path.join(store, package_key)),
        os.listdir(store) if os.path.isdir(store) else a.log,
    )
    check(
        f"{a.label}: tfwarden output is the installed binary",
        a.outputs["tfwarden"] == os.path.join(a.temp, f"tfwarden-{v}", "bin", "tfwarden"),
        a.outputs,
    )
    check(f"{a.label}: job summary written", len(a.summary.strip()) > 0)
    check(f"{a.label}: no annotation", "::error" not in a.stdout, a.stdout)
    expect_sarif(a)

    b = run(
        "package, cache hit, findings plan",
        {"plan": "plans/findings.json", "fail-on": "high"},
        store,
        env,
        [(".", source_map), ("plans/findings.json", findings_plan)],
    )
    check(f"{b.label}: exit 1 and exit-code 1", code(b) == 1 and b.outputs["exit-code"] == "1", b.log)
    check(
        f"{b.label}: findings > 0",
        b.outputs["findings"].isdigit() and int(b.outputs["findings"]) > 0,
        b.outputs,
    )
    check(f"{b.label}: undecided is a count", b.outputs["undecided"].isdigit(), b.outputs)
    check(
        f"{b.label}: findings output is the report's",
        b.outputs["findings"] == str(report(b)["summary"]["findings"]),
    )
    check(
        f"{b.label}: restored the package",
        b.steps["restore"]["outputs"]["cache-matched-key"] == package_key
        and install_step(b)["outputs"].get("method") == "cache",
        b.log,
    )
    check(f"{b.label}: did not download", "downloading file://" not in b.log, b.log)
    check(f"{b.label}: did not save again", not save_step(b)["ran"], b.log)
    # source-dir defaults to the workspace, so annotations point at .tf lines, not the plan.
    check(
        f"{b.label}: ::error annotations on .tf files",
        re.search(r"^::error file=database\.tf,line=\d+", b.stdout, re.M) is not None,
        b.stdout,
    )
    check(f"{b.label}: summary lists findings", "HP-DATA-001" in b.summary, b.summary[:500])
    expect_sarif(b)


def source_path():
    """No release package: the fallback builds from source; its cache is keyed by the image."""
    store = os.path.join(work, "store-source")
    os.makedirs(os.path.join(work, "no-releases"))
    env = {
        "TFWARDEN_PACKAGE_BASE_URL": "file://" + os.path.join(work, "no-releases"),
        "TFWARDEN_ACTION_PREBUILT": binary,
    }

    a = run(
        "source, cache miss, findings plan",
        {"plan": "findings.json"},
        store,
        env,
        [(".", source_map), ("findings.json", findings_plan)],
    )
    out = install_step(a)
    check(f"{a.label}: exit 1", code(a) == 1 and a.outputs["exit-code"] == "1", a.log)
    check(
        f"{a.label}: tried the package first",
        "downloading file://" in out["stdout"] and "no release package at" in out["stdout"],
        a.log,
    )
    check(
        f"{a.label}: fell back to a source build",
        out["outputs"].get("method") == "source" and "TFWARDEN_ACTION_PREBUILT" in out["stdout"],
        a.log,
    )
    key = out["outputs"].get("cache-key", "")
    check(
        f"{a.label}: source key names the image and sources",
        re.fullmatch(rf"tfwarden-{re.escape(v)}-Linux-X64-source-[0-9a-f]{{64}}", key) is not None,
        key,
    )
    saved = os.path.join(store, key)
    check(f"{a.label}: saved under the source key", save_step(a)["ran"] and os.path.isdir(saved), a.log)
    libs = os.listdir(os.path.join(saved, "lib")) if os.path.isdir(os.path.join(saved, "lib")) else []
    needed = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    if "libre2" in needed:
        check(
            f"{a.label}: the cached build carries its libraries",
            any(n.startswith("libre2") for n in libs),
            libs,
        )
    check(
        f"{a.label}: the C library is not bundled",
        not any(n.startswith(("libc.so", "ld-linux")) for n in libs),
        libs,
    )

    b = run(
        "source, cache hit, reference plan", {"plan": "plan.json"}, store, env, [("plan.json", reference)]
    )
    check(f"{b.label}: exit 0", code(b) == 0 and b.outputs["exit-code"] == "0", b.log)
    check(
        f"{b.label}: exact cache hit on the source key",
        b.steps["restore"]["outputs"]["cache-hit"] == "true",
        b.log,
    )
    check(
        f"{b.label}: neither downloaded nor built",
        "downloading file://" not in b.log
        and "PREBUILT" not in b.log
        and install_step(b)["outputs"].get("method") == "cache",
        b.log,
    )
    check(f"{b.label}: did not save again", not save_step(b)["ran"], b.log)

    # A restored binary that does not run (say, a library missing) is installed again.
    broken = os.path.join(saved, "bin", "tfwarden")
    with open(broken, "w") as f:
        f.write("#!/bin/sh\nexit 127\n")
    c = run(
        "source, cache hit of a binary that does not run",
        {"plan": "plan.json"},
        store,
        env,
        [("plan.json", reference)],
    )
    check(f"{c.label}: exit 0", code(c) == 0, c.log)
    check(
        f"{c.label}: noticed and rebuilt",
        "does not run here" in install_step(c)["stdout"]
        and install_step(c)["outputs"].get("method") == "source",
        c.log,
    )

    d = run(
        "build-from-source: true",
        {"plan": "plan.json", "build-from-source": "true"},
        os.path.join(work, "store-forced"),
        {"TFWARDEN_PACKAGE_BASE_URL": make_release(v), "TFWARDEN_ACTION_PREBUILT": binary},
        [("plan.json", reference)],
    )
    check(
        f"{d.label}: built without downloading",
        install_step(d)["outputs"].get("method") == "source" and "downloading file://" not in d.log,
        d.log,
    )


def bad_checksum():
    env = {"TFWARDEN_PACKAGE_BASE_URL": make_release(v, corrupt=True), "TFWARDEN_ACTION_PREBUILT": binary}
    r = run(
        "package with a wrong checksum",
        {"plan": "plan.json"},
        os.path.join(work, "store-bad"),
        env,
        [("plan.json", reference)],
    )
    check(f"{r.label}: fails with 2", code(r) == 2, r.log)
    check(
        f"{r.label}: says so and does not build instead",
        "does not match its .sha256" in install_step(r)["stderr"] and "PREBUILT" not in r.log,
        r.log,
    )
    check(
        f"{r.label}: tfwarden did not run",
        not r.steps["check"]["ran"] and r.outputs["exit-code"] == "",
        r.log,
    )
    check(f"{r.label}: nothing cached", not os.path.isdir(os.path.join(work, "store-bad")), r.log)


def plan_lists():
    store = os.path.join(work, "store-lists")
    env = {"TFWARDEN_PACKAGE_BASE_URL": make_release(v)}
    files = [("plans/plan one.json", findings_plan), ("plans/two.json", reference)]

    a = run(
        "two plans, one a line, a space in a name",
        {"plan": "plans/plan one.json\nplans/two.json\n"},
        store,
        env,
        files,
    )
    check(f"{a.label}: exit 1", code(a) == 1, a.log)
    check(f"{a.label}: both inputs linted", linted(a) == ["plans/plan one.json", "plans/two.json"], a.log)

    b = run(
        "a glob and extra-args",
        {"plan": "  plans/*.json  ", "extra-args": "--only HP-DATA-001 --severity high"},
        store,
        env,
        files,
    )
    check(
        f"{b.label}: the glob matched the name with a space",
        linted(b) == ["plans/plan one.json", "plans/two.json"],
        b.log,
    )
    check(f"{b.label}: extra-args split into flags", b.outputs["findings"] == "1", b.outputs)

    a_full = run("one plan", {"plan": "plans/plan*.json"}, store, env, files)
    b_findings, b_undecided = a_full.outputs["findings"], a_full.outputs["undecided"]
    check(
        f"{a_full.label}: counts are numbers",
        b_findings.isdigit() and b_undecided.isdigit() and int(b_findings) > 0,
        a_full.outputs,
    )

    # Nothing in an input is evaluated: no command substitution, no second expansion.
    hostile = "plans/$(touch pwned1).json plans/`touch pwned2`.json;touch${IFS}pwned3"
    c = run(
        "inputs are never evaluated",
        {"plan": hostile, "fail-on": 'low"; touch pwned4; "', "extra-args": "$(touch pwned5)"},
        store,
        env,
        files,
    )
    made = [n for n in os.listdir(c.workspace) if n.startswith("pwned")]
    check(f"{c.label}: nothing ran", made == [], made)
    check(f"{c.label}: tfwarden rejected them with 2", code(c) == 2 and c.outputs["exit-code"] == "2", c.log)

    d = run("a glob that matches nothing", {"plan": "nothing/*.json"}, store, env, files)
    check(f"{d.label}: an error (2), not a pass", code(d) == 2, d.log)

    # The counts come from python3 where jq is missing.
    nojq = os.path.join(work, "bin-without-jq")
    os.makedirs(nojq)
    for d in os.environ["PATH"].split(os.pathsep):
        for n in os.listdir(d) if os.path.isdir(d) else []:
            if n != "jq" and not os.path.exists(os.path.join(nojq, n)):
                os.symlink(os.path.join(d, n), os.path.join(nojq, n))
    f = run("without jq", {"plan": "plans/plan*.json"}, store, dict(env, PATH=nojq), files)
    check(
        f"{f.label}: counts read with python3",
        (f.outputs["findings"], f.outputs["undecided"]) == (b_findings, b_undecided) and code(f) == 1,
        f.log,
    )

    e = run("an empty plan list", {"plan": " \n "}, store, env, files)
    check(f"{e.label}: an error (2)", code(e) == 2 and "names no file" in e.steps["check"]["stderr"], e.log)


static_checks()
package_path()
source_path()
bad_checksum()
plan_lists()
if failures:
    print(f"action-simulated-runner: {len(failures)} of {checks} checks failed")
    sys.exit(1)
print(f"action-simulated-runner: {checks} checks passed")
