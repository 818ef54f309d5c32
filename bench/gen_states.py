#!/usr/bin/env python3
"""Writes Terraform state files (`terraform show -json` of a state) for batch audits.

Each file is one workspace: the reference platform's regional stack (see gen_plan.py) deployed
for a few services in one region, `module.stack["<service>"]`, with every value known (the ids,
ARNs and attributes a plan leaves unknown are filled in as AWS would) and the data sources the
stack reads. A seeded fraction of the stacks carries the same misconfigurations as gen_plan.py.

    bench/gen_states.py --files 500 --resources 500 --seed 1 --out-dir bench/data/states
"""

import argparse
import copy
import hashlib
import json
import os
import random
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in bench/
from gen_plan import (MUTATIONS, PREFIX, REGIONS, ROLES, Region, Template, dumps, find_reference,  # noqa: E402
                      module_json, stack_keys)

ACCOUNT = "123456789012"
TOKEN = "Zq7Tok"  # in generated ids and ARNs; replaced per stack instance so that they differ
ID_PREFIX = {
    "aws_vpc": "vpc", "aws_subnet": "subnet", "aws_security_group": "sg", "aws_default_security_group": "sg",
    "aws_route_table": "rtb", "aws_default_route_table": "rtb", "aws_internet_gateway": "igw",
    "aws_nat_gateway": "nat", "aws_eip": "eipalloc", "aws_vpc_endpoint": "vpce", "aws_flow_log": "fl",
    "aws_vpc_security_group_ingress_rule": "sgr", "aws_vpc_security_group_egress_rule": "sgr",
    "aws_route_table_association": "rtbassoc", "aws_route": "r",
}
ARN_SERVICE = {
    "lb": "elasticloadbalancing", "s3": "s3", "iam": "iam", "cloudwatch": "logs", "apigatewayv2": "apigateway",
    "api": "apigateway", "rds": "rds", "db": "rds", "ecs": "ecs", "sns": "sns", "kms": "kms", "backup": "backup",
    "lambda": "lambda", "secretsmanager": "secretsmanager", "fis": "fis", "codedeploy": "codedeploy",
    "ssm": "ssm", "acm": "acm", "shield": "shield", "route53": "route53", "appautoscaling": "application-autoscaling",
}
GLOBAL_SERVICES = {"iam", "s3", "route53", "shield"}
# Resources whose id is one of their own attributes, as the AWS provider sets it.
ID_FROM = {
    "aws_backup_vault": "name", "aws_iam_role": "name", "aws_s3_bucket": "bucket",
    "aws_cloudwatch_log_group": "name", "aws_lambda_function": "function_name", "aws_sns_topic": "arn",
    "aws_secretsmanager_secret": "arn", "aws_ecs_cluster": "arn", "aws_ecs_service": "arn", "aws_lb": "arn",
    "aws_lb_target_group": "arn", "aws_lb_listener": "arn", "aws_db_subnet_group": "name",
    "aws_rds_cluster": "cluster_identifier", "aws_rds_cluster_instance": "identifier",
    "aws_backup_vault_lock_configuration": "backup_vault_name", "aws_ssm_parameter": "name",
    "aws_cloudwatch_metric_alarm": "alarm_name", "aws_codedeploy_app": "name",
    "aws_s3_bucket_versioning": "bucket", "aws_s3_bucket_policy": "bucket",
    "aws_s3_bucket_public_access_block": "bucket", "aws_s3_bucket_ownership_controls": "bucket",
    "aws_s3_bucket_lifecycle_configuration": "bucket", "aws_s3_bucket_server_side_encryption_configuration": "bucket",
}


def digest(*parts, n=17):
    return hashlib.sha1("/".join(parts).encode()).hexdigest()[:n]


def guess(key, hint, rtype, address, region):
    """A plausible known value for an attribute the plan left unknown."""
    if isinstance(hint, list):
        return []
    if isinstance(hint, dict):
        return {}
    h = digest(address, key, n=11) + TOKEN
    region = region or next((r for role, (r, _, _) in ROLES.items() if PREFIX + role + "." in address), "us-east-1")
    if key.startswith("kms_key"):
        return "arn:aws:kms:%s:%s:key/%s-%s-%s-%s-%s" % (region, ACCOUNT, h[:8], h[8:12], h[12:16], h[16:], h[:12])
    if key == "arn" or key.endswith("_arn"):
        svc = rtype.split("_")[1]
        svc = ARN_SERVICE.get(svc, svc)
        where = "" if svc in GLOBAL_SERVICES else region
        acct = "" if svc == "s3" else ACCOUNT
        return "arn:aws:%s:%s:%s:%s/%s" % (svc, where, acct, rtype[4:], h)
    if key == "id" or key.endswith("_id"):
        prefix = ID_PREFIX.get(rtype)
        return "%s-%s" % (prefix, h) if prefix else h
    if key.endswith(("_ids", "_arns", "_servers", "_entries", "_blocks", "_cidrs", "s")) and not key.endswith("ss"):
        return []
    if key.endswith(("_port", "_count", "_ttl", "_days", "_seconds", "revision", "priority")):
        return 0
    if key in ("tags_all",):
        return {}
    return "%s-%s" % (key.replace("_", "-"), h[:8])


NOT_FOUND = object()
STEP = re.compile(r'\[("(?:[^"\\]|\\.)*"|\d+|\*)\]|([^.\[\]]+)')


def split_ref(ref):
    """`aws_subnet.private[0].id` -> ["aws_subnet", "private", 0, "id"]; keys may hold dots."""
    out = []
    for key, name in STEP.findall(ref):
        if name:
            out.append(name)
        elif key.isdigit():
            out.append(int(key))
        elif key.startswith('"'):
            out.append(json.loads(key))
    return out


def get_path(v, path):
    for step in path:
        if isinstance(v, dict) and isinstance(step, str) and step in v:
            v = v[step]
        elif isinstance(v, list) and isinstance(step, int) and step < len(v):
            v = v[step]
        else:
            return NOT_FOUND
    return v


class Resolver:
    """Fills a planned stack's unknown values the way apply would, keeping references consistent:
    an attribute set from another resource's ARN gets that resource's (generated) ARN. It follows
    the plan's configuration references through `var.`, module outputs and resource attributes."""

    def __init__(self, plan):
        self.plan = plan
        self.changes = {r["address"]: r for r in plan["resource_changes"]}
        self.data = {}
        self.blocks = {}  # (module address, "type.name") -> [instance addresses]
        for r in plan["resource_changes"]:
            mod, block, _ = self.split_address(r["address"])
            self.blocks.setdefault((mod, block), []).append(r["address"])
        self._collect_data(plan.get("prior_state", {}).get("values", {}).get("root_module", {}))
        self.memo = {}
        self.busy = set()

    def _collect_data(self, m):
        for r in m.get("resources", []):
            self.data[r["address"]] = r.get("values", {})
        for c in m.get("child_modules", []):
            self._collect_data(c)

    @staticmethod
    def split_address(address):
        """("module.a.module.b", "aws_x.y", index) of a resource instance address (no module keys)."""
        parts = split_ref(address)
        i = 0
        while i + 1 < len(parts) and parts[i] == "module":
            i += 2
        mod = ".".join(str(p) for p in parts[:i])
        rest = parts[i:]
        n = 3 if rest[0] == "data" else 2
        index = rest[n] if len(rest) > n else None
        return mod, ".".join(rest[:n]), index

    def module_config(self, mod):
        m = self.plan["configuration"]["root_module"]
        parts = mod.split(".") if mod else []
        for name in parts[1::2]:
            m = m.get("module_calls", {}).get(name, {}).get("module", {})
        return m

    def resource_config(self, mod, block):
        for r in self.module_config(mod).get("resources", []):
            if r["address"] == block:
                return r
        return None

    def values(self, address):
        """The after-apply values of a planned resource instance."""
        if address in self.memo:
            return self.memo[address]
        rc = self.changes.get(address)
        if rc is None:
            return self.data.get(address, NOT_FOUND)
        if address in self.busy:
            return NOT_FOUND
        self.busy.add(address)
        change = rc["change"]
        v = copy.deepcopy(change.get("after") or {})
        mod, block, _ = self.split_address(address)
        cfg = self.resource_config(mod, block) or {}
        self._fill(v, change.get("after_unknown") or {}, change.get("after_sensitive") or {},
                   cfg.get("expressions", {}), mod, rc["type"], address)
        if change.get("after_unknown", {}).get("id") is True and isinstance(v.get(ID_FROM.get(rc["type"])), str):
            v["id"] = v[ID_FROM[rc["type"]]]
        self.busy.discard(address)
        self.memo[address] = v
        return v

    def _fill(self, values, unknown, sensitive, exprs, mod, rtype, address):
        if isinstance(unknown, dict) and isinstance(values, dict):
            items = unknown.items()
        elif isinstance(unknown, list) and isinstance(values, list):
            items = [(i, u) for i, u in enumerate(unknown) if i < len(values)]
        else:
            return
        for k, u in items:
            hint = get_path(sensitive, [k])
            hint = None if hint is NOT_FOUND else hint
            if isinstance(k, int):
                expr = exprs[k] if isinstance(exprs, list) and k < len(exprs) else (exprs[0] if isinstance(exprs, list) and exprs else exprs)
            else:
                expr = exprs.get(k, {}) if isinstance(exprs, dict) else {}
            if u is True:
                got = self.evaluate(expr, mod) if isinstance(expr, dict) else NOT_FOUND
                # An empty list read where one value is wanted (shape) is not found either.
                got = self.shape(got, hint, k) if got not in (NOT_FOUND, None) else NOT_FOUND
                values[k] = got if got is not NOT_FOUND else guess(str(k), hint, rtype, address, "")
            elif isinstance(u, (dict, list)) and (isinstance(values, list) or k in values):
                self._fill(values[k], u, hint, expr, mod, rtype, address)

    @staticmethod
    def shape(v, hint, key):
        if isinstance(hint, list) or str(key).endswith(("_ids", "_arns", "s")) and not str(key).endswith("ss"):
            return v if isinstance(v, list) else [v]
        if isinstance(v, list) and not isinstance(hint, list):
            return v[0] if v else NOT_FOUND
        return v

    def evaluate(self, expr, mod):
        if "constant_value" in expr:
            return expr["constant_value"]
        for ref in expr.get("references", []):
            v = self.reference(ref, mod)
            if v is not NOT_FOUND:
                return v
        return NOT_FOUND

    def reference(self, ref, mod):
        parts = split_ref(ref)
        head = parts[0]
        if head == "var" and len(parts) >= 2:
            if not mod:
                var = self.plan.get("variables", {}).get(parts[1])
                return get_path(var["value"], parts[2:]) if var else NOT_FOUND
            segs = mod.split(".")
            parent, call = ".".join(segs[:-2]), segs[-1]
            c = self.module_config(parent).get("module_calls", {}).get(call, {})
            e = c.get("expressions", {}).get(parts[1])
            if e is None:
                d = self.module_config(mod).get("variables", {}).get(parts[1], {})
                return get_path(d["default"], parts[2:]) if "default" in d else NOT_FOUND
            v = self.evaluate(e, parent)
            return NOT_FOUND if v is NOT_FOUND else get_path(v, parts[2:])
        if head == "module" and len(parts) >= 3 and isinstance(parts[2], str):
            child = (mod + "." if mod else "") + "module." + parts[1]
            out = self.module_config(child).get("outputs", {}).get(parts[2])
            if not out:
                return NOT_FOUND
            v = self.evaluate(out.get("expression", {}), child)
            return NOT_FOUND if v is NOT_FOUND else get_path(v, parts[3:])
        if head in ("each", "count", "local", "path", "terraform", "self"):
            return NOT_FOUND
        n = 3 if head == "data" else 2
        if len(parts) <= n:
            return NOT_FOUND  # the whole object: not one value
        block = ".".join(str(p) for p in parts[:n])
        rest = parts[n:]
        if head == "data":
            v = self.data.get((mod + "." if mod else "") + block, NOT_FOUND)
            return NOT_FOUND if v is NOT_FOUND else get_path(v, rest)
        addrs = self.blocks.get((mod, block), [])
        if not addrs:
            return NOT_FOUND
        if not isinstance(rest[0], str):
            want = '%s[%s]' % (block, rest[0] if isinstance(rest[0], int) else json.dumps(rest[0]))
            addrs = [a for a in addrs if a.endswith(want)]
            rest = rest[1:]
            if len(addrs) != 1:
                return NOT_FOUND
            return get_path(self.values(addrs[0]), rest)
        if len(addrs) == 1 and Resolver.split_address(addrs[0])[2] is None:
            return get_path(self.values(addrs[0]), rest)
        # A splat over count or for_each instances: `aws_subnet.private[*].id`.
        vals = [get_path(self.values(a), rest) for a in addrs]
        return [v for v in vals if v is not NOT_FOUND]


class StateWriter:
    """Renders state files from the template stacks, filled once per role and region."""

    def __init__(self, template):
        self.t = template
        resolver = Resolver(template.plan)
        self.resources = {}  # role -> suffix -> state resource dict (template addresses)
        for role in ROLES:
            pv = {}
            self._index(template.pv[role], pv)
            prior = template.prior[role]
            if prior:
                self._index(prior, pv)
            out = {}
            for suffix, r in pv.items():
                if r["mode"] == "managed":
                    values = resolver.values(r["address"])
                    r = dict(r, values=values if values is not NOT_FOUND else {})
                out[suffix] = r
            self.resources[role] = out
        self.order = {role: [s for s, _ in template.rc[role]] for role in ROLES}
        self._text = {}

    def _index(self, m, out):
        for r in m.get("resources", []):
            out[Template.split(r["address"])[1]] = r
        for c in m.get("child_modules", []):
            self._index(c, out)

    def text(self, region, suffix):
        key = (region.i, suffix)
        if key not in self._text:
            r = self.resources[region.role][suffix]
            self._text[key] = region.regionalize(dumps({k: r[k] for k in (
                "address", "mode", "type", "name", "index", "provider_name", "schema_version", "values",
                "sensitive_values") if k in r}))
        return self._text[key]

    def module_tree(self, region, m, suffixes, mutations):
        """The state module of one stack in template addresses, or None when it is empty."""
        res = []
        for r in m.get("resources", []):
            suffix = Template.split(r["address"])[1]
            if r["mode"] == "managed" and suffix not in suffixes:
                continue
            text = self.text(region, suffix)
            fns = [fn for name, (target, fn) in MUTATIONS.items() if name in mutations and target == suffix]
            if fns:
                o = json.loads(text)
                for fn in fns:
                    fn(o["values"])
                text = dumps(o)
            res.append(text)
        kids = [k for k in (self.module_tree(region, c, suffixes, mutations) for c in m.get("child_modules", [])) if k]
        return module_json(res, m["address"], kids)

    def stack(self, region, key, limit, mutations, salt):
        role = region.role
        suffixes = set(self.order[role][:limit])
        merged = merge(self.t.pv[role], self.t.prior[role]) if self.t.prior[role] else self.t.pv[role]
        text = self.module_tree(region, merged, suffixes, mutations)
        short = ROLES[role][1] if ROLES[role][0] == region.name else region.abbr
        return (text.replace(PREFIX + role, 'module.stack[\\"%s\\"]' % key)
                .replace("tfw-prod-" + short, "tfw-%s-%s" % (key, region.abbr))
                .replace(TOKEN, digest(salt, key, n=len(TOKEN))))

    def state(self, region, stacks, salt):
        """stacks: [(key, managed resource count, mutations)]."""
        kids = ",".join(self.stack(region, key, limit, muts, salt) for key, limit, muts in stacks)
        return ('{"format_version":"1.0","terraform_version":%s,"values":{"outputs":{},'
                '"root_module":{"child_modules":[%s]}}}' % (dumps(self.t.plan["terraform_version"]), kids))


def merge(a, b):
    """The module trees of one stack: data sources (from prior_state) first, then managed resources."""
    out = {"resources": b.get("resources", []) + a.get("resources", []), "address": a["address"]}
    kids = {k["address"]: k for k in a.get("child_modules", [])}
    for k in b.get("child_modules", []):
        kids[k["address"]] = merge(kids[k["address"]], k) if k["address"] in kids else k
    if kids:
        out["child_modules"] = list(kids.values())
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=500, help="state files (default 500)")
    ap.add_argument("--resources", type=int, default=500, help="managed resources per file (default 500)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--noncompliant", type=float, default=0.08, help="fraction of stacks with misconfigurations")
    ap.add_argument("--reference", help="the real plan to take the stack from")
    ap.add_argument("--out-dir", required=True)
    a = ap.parse_args()
    t = Template(find_reference(a.reference))
    w = StateWriter(t)
    rng = random.Random(a.seed)
    os.makedirs(a.out_dir, exist_ok=True)
    regions = [Region(i, name) for i, name in enumerate(REGIONS)]
    keys = stack_keys(len(REGIONS) * 4, rng)
    for f in range(a.files):
        region = regions[f % len(regions)]
        left = a.resources
        stacks = []
        k = (f // len(regions)) * 3
        while left > 0:
            limit = min(left, len(t.rc[region.role]))
            muts = sorted(rng.sample(sorted(MUTATIONS), rng.randint(1, 2))) if rng.random() < a.noncompliant else []
            stacks.append((keys[k % len(keys)], limit, muts))
            left -= limit
            k += 1
        doc = w.state(region, stacks, "%d/%d" % (a.seed, f))
        path = os.path.join(a.out_dir, "state-%04d-%s.json" % (f, region.name))
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            out.write(doc)
        os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
