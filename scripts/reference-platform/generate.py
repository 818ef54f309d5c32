#!/usr/bin/env python3
"""Regenerates fixtures/reference-platform/ with real Terraform (see
scripts/reference-plan.sh, which checks the prerequisites and calls this).

For the platform root (reference-terraform/platform/) and for every variant of
variants.py it copies reference-terraform/ to a temporary directory, applies the
offline overrides (and the variant's patch), runs `terraform plan` and
`terraform show -json`, and writes the JSON pretty-printed (Terraform's key
order, one-space indent) after normalize(). The clean plan is also applied in
`terraform test` to make state.json (plan_to_state.py); variants with a JSON
edit (the Aurora replacement) get it last, from that state.

Offline overrides, none of which changes a resource:
  - credentials from the environment (never in the plan), and in each provider
    block the skip_* settings and `allowed_account_ids = null` (the account
    cannot be checked without STS);
  - EC2, CloudFront and Secrets Manager endpoints
    (AWS_ENDPOINT_URL_EC2/_CLOUDFRONT/_SECRETS_MANAGER) and the ip-ranges URL of
    data.aws_ip_ranges pointed at mock_aws.py on a fixed local port, so every
    data source of the HCL is read and stays in the plan, and the ephemeral
    random password of Aurora (which never reaches the plan) can be opened.
"""

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(HERE))
import plan_to_state  # noqa: E402
import variants as variant_defs  # noqa: E402

REPO = HERE.parent.parent
SOURCE = REPO / "reference-terraform"
FIXTURES = REPO / "fixtures" / "reference-platform"

# The URL of data.aws_ip_ranges is part of the plan, so the port is fixed.
MOCK_PORT = int(os.environ.get("REFERENCE_PLAN_MOCK_PORT", "47823"))

TFVARS = """\
account_id                       = "123456789012"
domain_name                      = "example.com"
api_image_digest                 = "sha256:0000000000000000000000000000000000000000000000000000000000000000"
worker_image_digest              = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
primary_lambda_artifact_bucket   = "tfw-artifacts-use1"
secondary_lambda_artifact_bucket = "tfw-artifacts-euw1"
jwt_issuer                       = "https://auth.example.com/"
jwt_audience                     = "tfw-api"
alarm_emails                     = ["oncall@example.com"]
"""


OFFLINE_PROVIDER = """\
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  allowed_account_ids         = null
"""


def offline_overrides(root: Path) -> None:
    """Writes the override files of the offline plan into a copy of reference-terraform/."""
    (root / "global" / "zz_offline_override.tf").write_text(
        f'provider "aws" {{\n{OFFLINE_PROVIDER}}}\n')
    (root / "regions" / "zz_offline_override.tf").write_text(
        f'provider "aws" {{\n  alias = "primary"\n{OFFLINE_PROVIDER}}}\n\n'
        f'provider "aws" {{\n  alias = "secondary"\n{OFFLINE_PROVIDER}}}\n')
    (root / "modules" / "alb-public" / "zz_offline_override.tf").write_text(
        'data "aws_ip_ranges" "route53_healthchecks" {\n'
        f'  url = "http://127.0.0.1:{MOCK_PORT}/ip-ranges.json"\n}}\n')
    (root / "platform" / "terraform.tfvars").write_text(TFVARS)


def copy_source(dest: Path) -> None:
    shutil.copytree(SOURCE, dest, ignore=shutil.ignore_patterns(".terraform", "*.tfstate*", "tfplan", ".github"))


PLUGIN_CACHE = None  # set by main() when no provider mirror is given
INIT_LOCK = threading.Lock()


def terraform_env() -> dict:
    env = dict(os.environ)
    if PLUGIN_CACHE and "TF_PLUGIN_CACHE_DIR" not in env:
        env["TF_PLUGIN_CACHE_DIR"] = str(PLUGIN_CACHE)
    env.update({
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "offline-plan-only",
        "AWS_ENDPOINT_URL_EC2": f"http://127.0.0.1:{MOCK_PORT}",
        "AWS_ENDPOINT_URL_CLOUDFRONT": f"http://127.0.0.1:{MOCK_PORT}",
        "AWS_ENDPOINT_URL_SECRETS_MANAGER": f"http://127.0.0.1:{MOCK_PORT}",
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",
    })
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        env.pop(k, None)
    env["AWS_CONFIG_FILE"] = os.devnull
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    return env


def run(cmd, cwd: Path, log: Path) -> subprocess.CompletedProcess:
    p = subprocess.run(cmd, cwd=cwd, env=terraform_env(), capture_output=True, text=True)
    with log.open("a") as f:
        f.write(f"$ {' '.join(cmd)}\n{p.stdout}{p.stderr}\n")
    return p


def _sort_child_modules(module: dict) -> None:
    children = module.get("child_modules")
    if children:
        children.sort(key=lambda m: m.get("address", ""))
        for c in children:
            _sort_child_modules(c)


def normalize(doc: dict) -> str:
    """Drops the plan's creation time, and puts in address order the two lists that
    `terraform show -json` writes in Go map order, which changes from run to run: the child
    modules of planned_values and prior_state, and relevant_attributes. Nothing else changes."""
    doc.pop("timestamp", None)
    _sort_child_modules(doc.get("planned_values", {}).get("root_module", {}))
    _sort_child_modules(doc.get("prior_state", {}).get("values", {}).get("root_module", {}))
    if "relevant_attributes" in doc:
        doc["relevant_attributes"].sort(key=lambda a: (a["resource"], json.dumps(a["attribute"])))
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def plan_copy(name: str, work: Path, plugin_dir, patch=None, with_state=False):
    """Copies the source, applies the offline overrides and `patch`, plans the platform root;
    with_state also applies the plan in `terraform test` and returns the resulting state."""
    root = work / name
    copy_source(root)
    offline_overrides(root)
    if patch is not None:
        patch(root)
    platform = root / "platform"
    log = work / f"{name}.log"
    init = ["terraform", "init", "-input=false", "-no-color"]
    if plugin_dir:
        init.append(f"-plugin-dir={plugin_dir}")
    plan = ["terraform", "plan", "-refresh=false", "-input=false", "-no-color", "-out=tfplan"]
    for cmd in (init, plan):
        if cmd is init:
            with INIT_LOCK:  # one init at a time: they may share the provider cache
                p = run(cmd, platform, log)
        else:
            p = run(cmd, platform, log)
        if p.returncode != 0:
            raise RuntimeError(f"{name}: `{' '.join(cmd[:2])}` failed (exit {p.returncode}); see {log}\n"
                               + (p.stderr or p.stdout)[-3000:])
    show = subprocess.run(["terraform", "show", "-json", "tfplan"], cwd=platform, env=terraform_env(),
                          capture_output=True, text=True)
    if show.returncode != 0:
        raise RuntimeError(f"{name}: terraform show failed: {show.stderr[-2000:]}")
    doc = json.loads(show.stdout)
    if not doc.get("complete", True) or doc.get("errored"):
        raise RuntimeError(f"{name}: the plan is incomplete or errored")
    return doc, (apply_in_test(name, platform, doc, log) if with_state else None)


def apply_in_test(name: str, platform: Path, plan: dict, log: Path) -> dict:
    """The state the plan leaves when applied, from `terraform test` with the provider-computed
    values as override_resource blocks (see plan_to_state.py)."""
    schema = subprocess.run(["terraform", "providers", "schema", "-json"], cwd=platform, env=terraform_env(),
                            capture_output=True, text=True)
    if schema.returncode != 0:
        raise RuntimeError(f"{name}: terraform providers schema failed: {schema.stderr[-2000:]}")
    blocks, defaulted = plan_to_state.overrides(plan, json.loads(schema.stdout))
    (platform / "zz_state.tftest.json").write_text(json.dumps({
        "override_resource": blocks,
        "run": {"deploy": {"command": "apply", "plan_options": {"refresh": False}}},
    }, indent=1))
    p = subprocess.run(["terraform", "test", "-json", "-verbose", "-no-color"], cwd=platform, env=terraform_env(),
                       capture_output=True, text=True)
    test_state, passed, errors = None, False, []
    for line in p.stdout.splitlines():
        msg = json.loads(line)
        if msg.get("type") == "test_state" and msg.get("@testrun") == "deploy":
            test_state = msg["test_state"]
        elif msg.get("type") == "test_run" and msg["test_run"].get("status") == "pass":
            passed = True
        elif msg.get("type") == "diagnostic" and msg.get("@level") == "error":
            detail = msg.get("diagnostic", {})
            # The teardown cannot destroy what has prevent_destroy: expected, nothing real exists.
            if detail.get("summary") != "Instance cannot be destroyed":
                errors.append(f"{detail.get('summary')}: {detail.get('detail', '')[:500]}")
    with log.open("a") as f:
        f.write(f"$ terraform test -json -verbose\nexit {p.returncode}, {len(blocks)} overrides, "
                f"type defaults for: {', '.join(defaulted) or 'none'}\n{p.stderr}\n")
    if not passed or test_state is None or errors:
        raise RuntimeError(f"{name}: terraform test did not apply the plan: " + "; ".join(errors[:5]))
    state = plan_to_state.assemble(plan, test_state)
    problems = plan_to_state.check_complete(plan, state)
    if problems:
        raise RuntimeError(f"{name}: the applied state is incomplete: " + "; ".join(problems[:10]))
    return state


def start_mock(work: Path) -> subprocess.Popen:
    port_file = work / "mock.port"
    proc = subprocess.Popen([sys.executable, str(HERE / "mock_aws.py"), str(port_file), str(MOCK_PORT)],
                            stderr=open(work / "mock.log", "w"))
    for _ in range(100):
        if port_file.exists() and port_file.read_text().strip():
            return proc
        if proc.poll() is not None:
            raise RuntimeError(f"mock_aws.py could not listen on 127.0.0.1:{MOCK_PORT} "
                               f"(set REFERENCE_PLAN_MOCK_PORT); see {work / 'mock.log'}")
        time.sleep(0.05)
    raise RuntimeError("mock_aws.py did not start")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def write_variant(v, doc: dict) -> None:
    d = FIXTURES / "variants" / v.name
    write(d / "plan.json", normalize(doc))
    write(d / "README.md", v.readme.strip() + "\n")
    write(d / "expected.json", json.dumps(v.expected_findings(), indent=2) + "\n")
    print(f"reference-plan: wrote {d.relative_to(REPO)}/")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plugin-dir", help="provider mirror for `terraform init -plugin-dir`")
    ap.add_argument("--only", action="append", default=[],
                    help="regenerate only these variants (and not the clean plan); repeatable")
    ap.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()

    known = {v.name for v in variant_defs.VARIANTS}
    unknown = [n for n in args.only if n not in known]
    if unknown:
        print(f"reference-plan: error: unknown variant {', '.join(unknown)}", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="reference-plan-"))
    if not args.plugin_dir:
        # Without a mirror every copy would download the provider: share one download.
        global PLUGIN_CACHE
        PLUGIN_CACHE = work / "plugin-cache"
        PLUGIN_CACHE.mkdir()
    mock = start_mock(work)
    failed = False
    try:
        jobs = []
        if not args.only:
            jobs.append(("platform", None, None))
        for v in variant_defs.VARIANTS:
            if not args.only or v.name in args.only:
                jobs.append((f"variant-{v.name}", v, v.patch_hcl))
        state, edits = None, []
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {pool.submit(plan_copy, name, work, args.plugin_dir, patch, v is None): (name, v)
                       for name, v, patch in jobs}
            for fut in concurrent.futures.as_completed(futures):
                name, v = futures[fut]
                try:
                    doc, applied = fut.result()
                except Exception as e:  # report every failing plan, not only the first
                    print(f"reference-plan: error: {e}", file=sys.stderr)
                    failed = True
                    continue
                if v is None:
                    state = applied
                    write(FIXTURES / "plan.json", normalize(doc))
                    write(FIXTURES / "state.json", json.dumps(state, indent=1, ensure_ascii=False) + "\n")
                    print(f"reference-plan: wrote {FIXTURES.relative_to(REPO)}/plan.json "
                          f"({len(doc['resource_changes'])} resource changes) and state.json")
                elif v.json_edit is not None:
                    edits.append((v, doc))
                else:
                    write_variant(v, doc)
        if edits:
            if state is None:
                state = json.loads((FIXTURES / "state.json").read_text())
            for v, doc in edits:
                v.json_edit(doc, state)
                write_variant(v, doc)
    finally:
        mock.terminate()
        mock.wait()
        if args.keep or failed:
            print(f"reference-plan: work directory kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
