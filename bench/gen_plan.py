#!/usr/bin/env python3
"""Writes a realistic `terraform show -json` plan (format 1.2) of any size.

The plan is the reference platform (fixtures/reference-platform/plan.json, a real Terraform plan)
scaled out: its regional stack, planned once per region in the real plan, is planned here once
per (region, stack) pair. Every region is a module call of its own with its own provider alias
(`providers = { aws = aws.<alias> }`), and each call has `for_each = var.stacks[...]`, so resource
addresses look like

    module.regions.module.eu_central_1["billing"].module.ecs.aws_ecs_service.api

Everything is copied from the real plan and renamed consistently: `resource_changes` (with
`after_unknown`, sensitivity, count and for_each `index`, JSON-string attributes such as
`container_definitions`), `planned_values` mirroring them, data sources in `prior_state`,
`configuration` (one module body per region call, with references through module outputs and
`var.`, provider aliases whose region is a constant or a `var.` reference with its value in the
top-level `variables`), `relevant_attributes` and `checks`.

Two kinds of plan:

- `--kind clean` (the default): the reference platform, which passes the bundled rules; a seeded
  fraction of the stacks (--noncompliant) carries one or two misconfigurations of MUTATIONS, so
  findings are few.
- `--kind findings`: a legacy estate. Every stack is misconfigured: every resource of a type of
  legacy.LEGACY (security groups open to the world, AWS-managed keys, deletion protection and
  rotation off, private subnets routed to the internet gateway, ...) breaks one to four rules:
  about 0.77 findings per resource (76,502 at 100k), 2% of them undecided. The values change in
  `after`, in planned_values, in `after_unknown` and `after_sensitive` and in the configuration's
  expressions alike (see bench/legacy.py).

Deterministic: the same --resources and --seed give the same bytes. The output is written as it
is produced, so memory stays small whatever the size.

    bench/gen_plan.py --resources 100000 --seed 1 --out bench/data/plan-100k.json
    bench/gen_plan.py --kind findings --resources 100000 --seed 1 --out bench/data/plan-100k-findings.json
"""

import argparse
import copy
import json
import os
import random
import sys

import legacy

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE_CANDIDATES = [
    os.path.join(HERE, "..", "fixtures", "reference-platform", "plan.json"),
    "/tmp/tfcheck/regions/plan.json",
]

# Real AWS regions, the two of the reference plan first (their variables keep their names).
REGIONS = [
    "us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-1", "ap-northeast-1",
    "us-east-2", "eu-west-2", "ap-southeast-2", "ca-central-1", "sa-east-1", "eu-north-1",
    "ap-south-1", "us-west-1", "eu-west-3", "ap-northeast-2", "eu-south-1", "me-south-1",
    "af-south-1", "ap-east-1", "eu-central-2", "ap-northeast-3", "ap-south-2", "ap-southeast-3",
    "il-central-1", "ca-west-1", "eu-south-2", "me-central-1", "ap-southeast-4", "mx-central-1",
]
SERVICES = [
    "api", "web", "auth", "billing", "search", "orders", "cart", "media", "notify", "ledger",
    "users", "geo", "feeds", "chat", "ads", "fraud", "report", "mail", "sync", "ml",
]

# The reference plan's two regional stacks: the call name, its region, and the short form of
# the region that the stack's names carry (`tfw-prod-useast1-aurora`).
ROLES = {
    "primary": ("us-east-1", "useast1", "10.10."),
    "secondary": ("eu-west-1", "euwest1", "10.20."),
}
PREFIX = "module.regions.module."

SEP = (",", ":")


def dumps(v):
    return json.dumps(v, separators=SEP, ensure_ascii=False)


def module_json(resources, address, child_modules):
    """A state module from its rendered resources and children, or None when both are empty."""
    if not resources and not child_modules:
        return None
    parts = ['"resources":[%s]' % ",".join(resources)] if resources else []
    parts.append('"address":%s' % dumps(address))
    if child_modules:
        parts.append('"child_modules":[%s]' % ",".join(child_modules))
    return "{" + ",".join(parts) + "}"


def find_reference(path=None):
    for p in [path] if path else REFERENCE_CANDIDATES:
        if p and os.path.exists(p):
            return p
    sys.exit("gen_plan: no reference plan (looked for %s); pass --reference" % ", ".join(REFERENCE_CANDIDATES))


def slug(region):
    return region.replace("-", "_")


def abbr(region):
    return region.replace("-", "")


def stack_keys(count, rng):
    """`count` short, distinct service names, in a seeded order."""
    names = list(SERVICES)
    rng.shuffle(names)
    keys = []
    round_ = 1
    while len(keys) < count:
        keys.extend(n if round_ == 1 else "%s%d" % (n, round_) for n in names)
        round_ += 1
    return keys[:count]


# --- misconfigurations -------------------------------------------------------------------------
# Each takes the `after` values of one resource (the same dict shape as planned_values' `values`)
# and breaks what a bundled rule checks. Which stacks get which is seeded.

def _open_ssh(v):
    v.update(cidr_ipv4="0.0.0.0/0", from_port=22, to_port=22, description="ssh from anywhere")


def _rds_unprotected(v):
    v.update(deletion_protection=False, backup_retention_period=1)


def _kms_no_rotation(v):
    v["enable_key_rotation"] = False


def _public_ip(v):
    v["map_public_ip_on_launch"] = True


def _secret_in_env(v):
    defs = json.loads(v["container_definitions"])
    defs[0].setdefault("environment", []).append({"name": "DB_PASSWORD", "value": "hunter2-prod"})
    v["container_definitions"] = json.dumps(defs, separators=SEP)


def _weak_tls(v):
    v["ssl_policy"] = "ELBSecurityPolicy-2016-08"


def _no_throttling(v):
    for s in v.get("default_route_settings") or []:
        s["throttling_burst_limit"] = None
        s["throttling_rate_limit"] = None


MUTATIONS = {
    # name: (resource address suffix inside the stack, function)
    "open-ssh": ("module.alb_internal.aws_vpc_security_group_ingress_rule.https_from_vpc", _open_ssh),
    "rds-unprotected": ("module.aurora.aws_rds_cluster.this", _rds_unprotected),
    "kms-no-rotation": ("module.kms.aws_kms_key.this", _kms_no_rotation),
    "public-ip": ("module.network.aws_subnet.private[0]", _public_ip),
    "secret-in-env": ("module.ecs.aws_ecs_task_definition.api", _secret_in_env),
    "weak-tls": ("module.alb_internal.aws_lb_listener.https", _weak_tls),
    "no-throttling": ("module.websocket.aws_apigatewayv2_stage.this", _no_throttling),
}


class Template:
    """The reference plan, split into what is planned once and what each regional stack repeats."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.plan = json.load(f)
        p = self.plan
        self.rc = {role: [] for role in ROLES}  # role -> [(suffix, rc dict)]
        self.fixed_rc = []
        for r in p["resource_changes"]:
            role, suffix = self.split(r["address"])
            if role:
                self.rc[role].append((suffix, r))
            else:
                self.fixed_rc.append(r)
        self.pv = {}  # role -> planned_values module dict of the stack
        regions_pv = None
        self.fixed_pv_modules = []
        for m in p["planned_values"]["root_module"].get("child_modules", []):
            if m["address"] == "module.regions":
                regions_pv = m
            else:
                self.fixed_pv_modules.append(m)
        self.regions_pv_resources = regions_pv.get("resources", [])
        self.regions_pv_other = []
        for m in regions_pv.get("child_modules", []):
            role = m["address"][len(PREFIX):] if m["address"].startswith(PREFIX) else None
            if role in ROLES:
                self.pv[role] = m
            else:
                self.regions_pv_other.append(m)
        # Data sources read during the plan.
        self.prior = {role: None for role in ROLES}
        self.fixed_prior_modules = []
        self.regions_prior_resources = []
        self.regions_prior_other = []
        prior_root = p.get("prior_state", {}).get("values", {}).get("root_module", {})
        for m in prior_root.get("child_modules", []):
            if m["address"] != "module.regions":
                self.fixed_prior_modules.append(m)
                continue
            self.regions_prior_resources = m.get("resources", [])
            for c in m.get("child_modules", []):
                role = c["address"][len(PREFIX):]
                if role in ROLES:
                    self.prior[role] = c
                else:
                    self.regions_prior_other.append(c)
        self.relevant = {role: [] for role in ROLES}
        self.fixed_relevant = []
        for a in p.get("relevant_attributes", []):
            role, suffix = self.split(a["resource"])
            (self.relevant[role] if role else self.fixed_relevant).append(a)
        self.checks = {role: [] for role in ROLES}
        self.fixed_checks = []
        for c in p.get("checks", []):
            role = self.module_role(c["address"].get("module", ""))
            (self.checks[role] if role else self.fixed_checks).append(c)
        self.stack_size = min(len(v) for v in self.rc.values())

    @staticmethod
    def split(address):
        """('primary', 'module.ecs.aws_ecs_service.api') for a regional stack address."""
        for role in ROLES:
            head = PREFIX + role + "."
            if address.startswith(head):
                return role, address[len(head):]
        return None, address

    @staticmethod
    def module_role(module_address):
        for role in ROLES:
            if module_address == PREFIX + role or module_address.startswith(PREFIX + role + "."):
                return role
        return None


class Region:
    """One region of the generated platform: its module call, provider alias and variables."""

    def __init__(self, i, name):
        self.i = i
        self.name = name
        self.slug = slug(name)
        self.abbr = abbr(name)
        self.role = "primary" if i == 0 else "secondary"
        # The two regions of the reference keep its alias and variable names; the others are new.
        self.alias = ("primary", "secondary")[i] if i < 2 else self.slug
        self.var_prefix = self.alias
        self.cidr = "10.%d." % (10 + 10 * i) if i < 2 else "10.%d." % (30 + i)
        self.keys = []

    def regionalize(self, text):
        """Rewrites region-specific text of the role's template for this region."""
        region, short, cidr = ROLES[self.role]
        if region == self.name:
            return text
        return (text.replace(region, self.name).replace(short, self.abbr).replace(cidr, self.cidr)
                .replace("aws." + self.role, "aws." + self.alias)
                .replace("var.%s_" % self.role, "var.%s_" % self.var_prefix))

    def module(self, key=None):
        """The module path (configuration) or instance address of this region's stack."""
        base = PREFIX + self.slug
        return base if key is None else '%s["%s"]' % (base, key)


class Stack:
    __slots__ = ("region", "key", "mutations")

    def __init__(self, region, key, mutations):
        self.region, self.key, self.mutations = region, key, mutations


def layout(resources, seed, template, noncompliant):
    """Splits `resources` instances into regions and whole stacks; returns (regions, stacks).

    The count is rounded up to whole stacks: a stack cut short would leave references to
    resources that are not in the plan, which no real plan has."""
    rng = random.Random(seed)
    fixed = len(template.fixed_rc)
    per = template.stack_size
    remaining = max(resources - fixed, 1)
    nstacks = -(-remaining // per)
    nregions = min(len(REGIONS), max(2, int(round(nstacks ** 0.5))))
    per_region = -(-nstacks // nregions)
    keys = stack_keys(per_region, rng)
    regions = [Region(i, REGIONS[i]) for i in range(nregions)]
    stacks = []
    left = remaining
    # Misconfigured stacks are spread evenly (every 1/noncompliant-th stack) and take the
    # misconfigurations in turn, so even a small plan has some and a large one has every kind.
    kinds = sorted(MUTATIONS)
    rng.shuffle(kinds)
    turn = 0
    # Stack-major order, so every region has stacks.
    for k in keys:
        for reg in regions:
            if left <= 0:
                break
            left -= per
            j = len(stacks)
            muts = []
            if int((j + 1) * noncompliant + 0.5) > int(j * noncompliant + 0.5):
                for _ in range(rng.randint(1, 2)):
                    muts.append(kinds[turn % len(kinds)])
                    turn += 1
            reg.keys.append(k)
            stacks.append(Stack(reg, k, sorted(muts)))
    # Resource order in the file: by region, then by stack key, as Terraform groups them.
    stacks.sort(key=lambda s: (s.region.i, keys.index(s.key)))
    return regions, stacks


class Writer:
    """Buffered writer of the JSON text."""

    def __init__(self, out):
        self.out = out
        self.buf = []
        self.size = 0

    def w(self, s):
        self.buf.append(s)
        self.size += len(s)
        if self.size > 1 << 20:
            self.flush()

    def flush(self):
        self.out.write("".join(self.buf))
        self.buf = []
        self.size = 0


class Generator:
    def __init__(self, template, regions, stacks):
        self.t = template
        self.regions = regions
        self.stacks = stacks
        # Per (region, suffix): the regionalized JSON text of the resource change and planned value.
        self._rc_text = {}
        self._pv_text = {}

    # Instance text: region-level text with the template's module path and stack name replaced.
    def instance(self, stack, text):
        reg = stack.region
        region, short, _ = ROLES[reg.role]
        name = "tfw-prod-" + (short if region == reg.name else reg.abbr)
        return (text.replace(PREFIX + reg.role, reg.module(stack.key).replace('"', '\\"'))
                .replace(name, "tfw-%s-%s" % (stack.key, reg.abbr)))

    def rc_text(self, stack, suffix, rc):
        reg = stack.region
        key = (reg.i, suffix)
        text = self._rc_text.get(key)
        if text is None:
            text = self._rc_text[key] = reg.regionalize(dumps(rc))
        return text

    def pv_text(self, stack, suffix, pv):
        key = (stack.region.i, suffix)
        text = self._pv_text.get(key)
        if text is None:
            text = self._pv_text[key] = stack.region.regionalize(dumps(pv))
        return text

    def mutated(self, stack, suffix, obj, which):
        """The resource change (which="rc") or planned value ("pv") with the stack's mutations."""
        fns = [MUTATIONS[m][1] for m in stack.mutations if MUTATIONS[m][0] == suffix]
        if not fns:
            return None
        o = copy.deepcopy(obj)
        values = o["change"]["after"] if which == "rc" else o["values"]
        for fn in fns:
            fn(values)
        return stack.region.regionalize(dumps(o))

    @staticmethod
    def write_list(w, items, sep):
        """Writes the non-empty items, comma-separated; returns the separator for more items."""
        for text in items:
            if text:
                w.w(sep + text)
                sep = ","
        return sep

    # --- sections ----------------------------------------------------------------------------
    def write(self, out):
        t = self.t
        p = t.plan
        w = Writer(out)
        w.w('{"format_version":%s,"terraform_version":%s,' % (dumps(p["format_version"]), dumps(p["terraform_version"])))
        w.w('"variables":%s,' % dumps(self.variables()))
        self.write_planned_values(w)
        self.write_resource_changes(w)
        w.w(',"output_changes":%s,' % dumps(p.get("output_changes", {})))
        self.write_prior_state(w)
        w.w(',"configuration":%s' % dumps(self.configuration()))
        self.write_relevant_attributes(w)
        self.write_checks(w)
        for k in ("timestamp", "applyable", "complete", "errored"):
            if k in p:
                w.w(',"%s":%s' % (k, dumps(p[k])))
        w.w("}\n")
        w.flush()

    def write_resource_changes(self, w):
        w.w(',"resource_changes":[')
        first = True
        for r in self.t.fixed_rc:
            w.w(("" if first else ",") + dumps(r))
            first = False
        for s in self.stacks:
            for suffix, rc in self.t.rc[s.region.role]:
                text = self.mutated(s, suffix, rc, "rc") if s.mutations else None
                w.w("," + self.instance(s, text or self.rc_text(s, suffix, rc)))
        w.w("]")

    def _module_text(self, stack, m, which):
        # Rendered with template addresses; stack_module applies the instance prefix once.
        res = []
        for r in m.get("resources", []):
            suffix = Template.split(r["address"])[1]
            text = self.mutated(stack, suffix, r, which) if stack.mutations and which == "pv" else None
            res.append(text or self.pv_text(stack, suffix, r))
        kids = [k for k in (self._module_text(stack, c, which) for c in m.get("child_modules", [])) if k]
        return module_json(res, m["address"], kids)

    def stack_module(self, stack, m, which):
        """A stack's module in planned_values ("pv") or prior_state ("prior"), with children."""
        text = self._module_text(stack, m, which)
        return self.instance(stack, text) if text else None

    def write_planned_values(self, w):
        t = self.t
        w.w('"planned_values":{"outputs":%s,"root_module":{"child_modules":[' % dumps(t.plan["planned_values"].get("outputs", {})))
        for m in t.fixed_pv_modules:
            w.w(dumps(m) + ",")
        w.w('{"resources":%s,"address":"module.regions","child_modules":[' % dumps(t.regions_pv_resources))
        sep = self.write_list(w, (dumps(m) for m in t.regions_pv_other), "")
        self.write_list(w, (self.stack_module(s, t.pv[s.region.role], "pv") for s in self.stacks), sep)
        w.w("]}]}}")

    def write_prior_state(self, w):
        t = self.t
        prior = t.plan.get("prior_state")
        if not prior:
            return
        head = {k: v for k, v in prior.items() if k != "values"}
        w.w('"prior_state":%s,"values":{"root_module":{"child_modules":[' % dumps(head)[:-1])
        for m in t.fixed_prior_modules:
            w.w(dumps(m) + ",")
        w.w('{"resources":%s,"address":"module.regions","child_modules":[' % dumps(t.regions_prior_resources))
        sep = self.write_list(w, (dumps(m) for m in t.regions_prior_other), "")
        self.write_list(w, (self.stack_module(s, t.prior[s.region.role], "prior")
                            for s in self.stacks if t.prior[s.region.role]), sep)
        w.w("]}]}}}")

    def write_relevant_attributes(self, w):
        t = self.t
        if "relevant_attributes" not in t.plan:
            return
        items = [dumps(a) for a in t.fixed_relevant]
        w.w(',"relevant_attributes":[' + ",".join(items))
        first = not items
        for s in self.stacks:
            for a in t.relevant[s.region.role]:
                w.w(("" if first else ",") + self.instance(s, s.region.regionalize(dumps(a))))
                first = False
        w.w("]")

    def write_checks(self, w):
        t = self.t
        if "checks" not in t.plan:
            return
        items = [dumps(c) for c in t.fixed_checks]
        w.w(',"checks":[' + ",".join(items))
        first = not items
        for reg in self.regions:
            if not reg.keys:
                continue
            stacks = [s for s in self.stacks if s.region is reg]
            for c in t.checks[reg.role]:
                # The checkable object is per configuration module; its instances are per stack.
                obj = {k: v for k, v in c.items() if k != "instances"}
                head = dumps(obj).replace(PREFIX + reg.role, reg.module())
                inst = [self.instance(s, reg.regionalize(dumps(i))) for s in stacks for i in c.get("instances", [])]
                text = reg.regionalize(head)[:-1] + ',"instances":[' + ",".join(inst) + "]}"
                w.w(("" if first else ",") + text)
                first = False
        w.w("]")

    # --- variables and configuration --------------------------------------------------------
    def variables(self):
        v = copy.deepcopy(self.t.plan.get("variables", {}))
        for reg in self.regions[2:]:
            v["%s_region" % reg.var_prefix] = {"value": reg.name}
            v["%s_lambda_artifact_bucket" % reg.var_prefix] = {"value": "tfw-artifacts-%s" % reg.abbr}
        v["stacks"] = {"value": {reg.name: reg.keys for reg in self.regions}}
        return dict(sorted(v.items()))

    def configuration(self):
        cfg = copy.deepcopy(self.t.plan["configuration"])
        t = self.t
        r0, r1 = self.regions[0], self.regions[1]

        def rename_modules(text):
            return text.replace("module.primary", "module." + r0.slug).replace("module.secondary", "module." + r1.slug)

        def for_each_refs(refs, key=None):
            """References to a stack output, now that the stack module has for_each: a `for`
            expression over all instances (`key` None) or one instance by a literal key."""
            out = []
            for x in refs:
                parts = x.split(".")
                if parts[0] != "module" or parts[1] not in ROLES:
                    out.append(x)
                    continue
                call = "module." + (r0 if parts[1] == "primary" else r1).slug
                if key is None:
                    new = [call]
                else:
                    inst = '%s["%s"]' % (call, key)
                    new = [inst + "." + ".".join(parts[2:]), inst, call] if len(parts) > 2 else [inst, call]
                out.extend(n for n in new if n not in out)
            return out

        # Provider aliases: the reference's two, then one per further region, its region either
        # a constant or a variable of module.regions set from a root variable.
        pcs = cfg["provider_config"]
        sec = pcs.get("module.regions:aws.secondary")
        for reg in self.regions[2:]:
            pc = copy.deepcopy(sec)
            pc["alias"] = reg.alias
            if reg.i % 2 == 0:
                pc["expressions"]["region"] = {"constant_value": reg.name}
            else:
                pc["expressions"]["region"] = {"references": ["var.%s_region" % reg.var_prefix]}
            pcs["module.regions:aws." + reg.alias] = pc

        root = cfg["root_module"]
        call = root["module_calls"]["regions"]
        regions_mod = call["module"]
        calls = regions_mod["module_calls"]
        templates = {role: calls.pop(role) for role in ROLES}
        # Everything else in module.regions that named the two stacks now names the first two
        # region calls, whose instances are reached through `for` expressions or a fixed key.
        for o in regions_mod.get("outputs", {}).values():
            if "references" in o.get("expression", {}):
                o["expression"]["references"] = for_each_refs(o["expression"]["references"])
        for c in calls.values():
            for e in c.get("expressions", {}).values():
                if "references" in e:
                    e["references"] = for_each_refs(e["references"], r0.keys[0])
        for reg in self.regions:
            c = json.loads(reg.regionalize(dumps(templates[reg.role])))
            for name, e in c.get("expressions", {}).items():
                refs = e.get("references")
                if not refs:
                    continue
                if any(x.startswith(("module.primary", "module.secondary")) for x in refs):
                    # module.<other region>[each.key].<output>
                    e["references"] = [rename_modules(x) for x in refs if x.count(".") == 1] + ["each.key"]
                elif name == "name":
                    e["references"] = refs + ["each.key"]
            c["for_each_expression"] = {"references": ["var.stacks", "var.%s_region" % reg.var_prefix]}
            calls[reg.slug] = c
        calls.update(sorted((k, calls.pop(k)) for k in list(calls)))
        mvars = regions_mod.setdefault("variables", {})
        for reg in self.regions[2:]:
            for suffix in ("region", "availability_zones", "lambda_artifact_bucket", "vpc_cidr"):
                src = mvars.get("secondary_" + suffix)
                if src is not None:
                    mvars["%s_%s" % (reg.var_prefix, suffix)] = json.loads(
                        reg.regionalize(dumps(src)).replace("secondary region", reg.name + " region"))
        mvars["stacks"] = {"description": "Stacks (services) deployed in each region, keyed by region."}
        regions_mod["variables"] = dict(sorted(mvars.items()))
        exprs = call.setdefault("expressions", {})
        rvars = root.setdefault("variables", {})
        for reg in self.regions[2:]:
            for suffix in ("region", "lambda_artifact_bucket"):
                name = "%s_%s" % (reg.var_prefix, suffix)
                exprs[name] = {"references": ["var." + name]}
                rvars[name] = {"description": "%s of the %s stacks." % (suffix.replace("_", " ").capitalize(), reg.name)}
        exprs["stacks"] = {"references": ["var.stacks"]}
        call["expressions"] = dict(sorted(exprs.items()))
        rvars["stacks"] = {"description": "Stacks (services) deployed in each region, keyed by region."}
        root["variables"] = dict(sorted(rvars.items()))
        return cfg


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--resources", type=int, default=2000,
                    help="resource instances in resource_changes, rounded up to whole stacks (default 2000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--kind", choices=("clean", "findings"), default="clean",
                    help="clean: the reference platform, few findings; findings: a legacy estate, "
                         "every stack misconfigured (default clean)")
    ap.add_argument("--noncompliant", type=float, default=0.08,
                    help="--kind clean: fraction of stacks with misconfigurations (default 0.08)")
    ap.add_argument("--reference", help="the real plan to replicate (default: fixtures/reference-platform/plan.json)")
    ap.add_argument("--out", default="-", help="output file (default stdout)")
    a = ap.parse_args()
    template = Template(find_reference(a.reference))
    noncompliant = a.noncompliant
    if a.kind == "findings":
        legacy.misconfigure(template)
        noncompliant = 0  # every stack is already misconfigured, the same way
    regions, stacks = layout(a.resources, a.seed, template, noncompliant)
    gen = Generator(template, regions, stacks)
    if a.out == "-":
        gen.write(sys.stdout)
        return
    tmp = a.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        gen.write(f)
    os.replace(tmp, a.out)


if __name__ == "__main__":
    main()
