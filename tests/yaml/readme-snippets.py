"""The README's YAML and the example workflows agree with action.yml (run by tests/yaml/load.sh).

Every ```yaml block of README.md loads; every step that uses tfwarden/tfwarden@REF (in those
blocks and in .github/workflows/) pins the tag of this version, gives only inputs action.yml
declares and all the required ones, and reads only outputs it declares; the README's GitHub
Actions section names every input and output.

  readme-snippets.py REPO_ROOT
"""

import glob
import os
import re
import sys

import yaml

root = sys.argv[1]
failures = []


def fail(message):
    failures.append(message)
    print(f"readme-snippets: {message}")


action = yaml.safe_load(open(os.path.join(root, "action.yml"), encoding="utf-8"))
inputs = action["inputs"]
outputs = action.get("outputs") or {}
version = re.search(
    r"^project\(tfwarden VERSION ([^ )]+)", open(os.path.join(root, "CMakeLists.txt")).read(), re.M
).group(1)


def steps_of(doc):
    """Every mapping with a `uses` key, wherever it is nested."""
    if isinstance(doc, dict):
        if "uses" in doc:
            yield doc
        for value in doc.values():
            yield from steps_of(value)
    elif isinstance(doc, list):
        for value in doc:
            yield from steps_of(value)


def check_doc(where, doc, text):
    ids = set()
    for step in steps_of(doc):
        uses = str(step["uses"])
        if not uses.startswith("tfwarden/tfwarden@"):
            continue
        if uses != f"tfwarden/tfwarden@v{version}":
            fail(f"{where}: `{uses}` is not the tag of this version (v{version})")
        given = step.get("with") or {}
        for key in given:
            if key not in inputs:
                fail(f"{where}: `{key}` is not an input of action.yml")
        for key, spec in inputs.items():
            if spec.get("required") and key not in given:
                fail(f"{where}: the required input `{key}` is missing")
        if "id" in step:
            ids.add(step["id"])
    for step_id, name in re.findall(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", text):
        if step_id in ids and name not in outputs:
            fail(f"{where}: `steps.{step_id}.outputs.{name}` is not an output of action.yml")
    return sum(1 for s in steps_of(doc) if str(s["uses"]).startswith("tfwarden/tfwarden@"))


readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
blocks = re.findall(r"^```yaml\n(.*?)^```$", readme, re.M | re.S)
uses_count = 0
for n, block in enumerate(blocks, 1):
    try:
        doc = yaml.safe_load(block)
    except yaml.YAMLError as e:
        fail(f"README.md yaml block {n} does not load: {e}")
        continue
    uses_count += check_doc(f"README.md yaml block {n}", doc, block)
if uses_count == 0:
    fail("README.md has no yaml block that uses tfwarden/tfwarden")

for path in sorted(glob.glob(os.path.join(root, ".github/workflows/*.yml"))):
    text = open(path, encoding="utf-8").read()
    check_doc(os.path.relpath(path, root), yaml.safe_load(text), text)

section = re.search(r"^### GitHub Actions.*?(?=^##)", readme, re.M | re.S)
if not section:
    fail("README.md has no GitHub Actions section")
else:
    for kind, names in (("input", inputs), ("output", outputs)):
        for name in names:
            if f"`{name}`" not in section.group(0):
                fail(f"README.md's GitHub Actions section does not name the {kind} `{name}`")

if failures:
    sys.exit(1)
print(f"readme-snippets: {len(blocks)} yaml blocks load, {uses_count} uses of the action match action.yml")
