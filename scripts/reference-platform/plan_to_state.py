#!/usr/bin/env python3
"""Turns the reference platform's plan into the state a successful apply would
leave (`terraform show -json` state shape), with Terraform itself doing the
evaluation.

Terraform cannot apply without AWS, but `terraform test` can: an
`override_resource` block supplies the values the provider would compute, and
Terraform applies the configuration in memory, evaluating every expression
(references through module outputs and variables, `jsonencode` policies,
templates, splats) with those values. `terraform test -verbose -json` prints the
resulting state as JSON.

1. overrides(plan, schema): for every managed resource instance of the plan, the
   values of its provider-computed attributes: the planned value where the plan
   knows it, otherwise a deterministic value in the format AWS uses for that
   type and region (ids, ARNs, endpoints, ...; see GENERATORS).
2. generate.py writes them to a .tftest.json file in the planned copy of the
   configuration and runs `terraform test` (the teardown then fails on
   `prevent_destroy`, which is expected and harmless: nothing real exists).
3. assemble(plan, test_state): each resource's values are the plan's known
   values (authoritative: they include provider defaults that overridden
   resources do not get), with every unknown filled from the applied test state,
   and the test state's sensitive_values and depends_on.

Only the standard library is used. The values of a deployed resource can be
read back with iter_resources().
"""

import base64
import copy
import hashlib
import json
import re

ACCOUNT = "123456789012"

# Hosted zone ids AWS uses for its regional endpoints (alias targets).
ALB_ZONE = {"us-east-1": "Z35SXDOTRQ7X7K", "eu-west-1": "Z32O12XQLNTSW2"}
APIGW_ZONE = {"us-east-1": "Z1UJRXOUMOOFQ8", "eu-west-1": "ZLY8HYME6SFDD"}
RDS_ZONE = {"us-east-1": "Z2R2ITUGPM61AM", "eu-west-1": "Z29XKXDKYMONMX"}
S3_ZONE = {"us-east-1": "Z3AQBSTGFYJSTF", "eu-west-1": "Z1BKCTXD74EZPE"}
AZ_IDS = {"us-east-1a": "use1-az1", "us-east-1b": "use1-az2", "us-east-1c": "use1-az4",
          "eu-west-1a": "euw1-az1", "eu-west-1b": "euw1-az2", "eu-west-1c": "euw1-az3"}
# AWS-owned prefix lists of the gateway endpoints.
GATEWAY_PREFIX_LISTS = {("us-east-1", "s3"): "pl-63a5400a", ("us-east-1", "dynamodb"): "pl-02cd2c6b",
                        ("eu-west-1", "s3"): "pl-6da54004", ("eu-west-1", "dynamodb"): "pl-6fa54006"}
CREATED = "2025-01-15T09:30:00Z"


# ---------------------------------------------------------------------------
# Deterministic identifiers
# ---------------------------------------------------------------------------
def _digest(*parts) -> bytes:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()


def hexid(n, *parts) -> str:
    return _digest(*parts).hex()[:n]


def ec2id(prefix, *parts) -> str:
    return f"{prefix}-0{hexid(16, prefix, *parts)}"


def uuid(*parts) -> str:
    h = hexid(32, "uuid", *parts)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def upper(n, *parts) -> str:
    return base64.b32encode(_digest("upper", *parts)).decode().rstrip("=")[:n]


def lower(n, *parts) -> str:
    return upper(n, *parts).lower()


def ipv4(prefix, *parts) -> str:
    d = _digest("ip", *parts)
    return f"{prefix}.{d[0] % 250 + 1}.{d[1] % 250 + 1}"


# ---------------------------------------------------------------------------
# Plan navigation
# ---------------------------------------------------------------------------
def iter_resources(module: dict):
    """Resources of a planned_values/state module, depth first."""
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from iter_resources(child)


def module_of(address: str) -> str:
    """module.a.module.b for module.a.module.b.aws_x.y[0] ('' at the root)."""
    parts = re.findall(r'module\.[^.\[]+(?:\[[^\]]*\])?', address)
    out, rest = [], address
    for p in parts:
        if rest.startswith(p + "."):
            out.append(p)
            rest = rest[len(p) + 1:]
        else:
            break
    return ".".join(out)


class Config:
    """The plan's `configuration`, indexed by module instance path."""

    def __init__(self, plan: dict):
        self.plan = plan
        self.cfg = plan.get("configuration", {})
        self.variables = {k: v.get("value") for k, v in plan.get("variables", {}).items()}

    def module(self, module_addr: str):
        m = self.cfg.get("root_module", {})
        if not module_addr:
            return m
        for part in module_addr.split("."):
            if part == "module":
                continue
            name = re.sub(r"\[.*\]$", "", part)
            m = m.get("module_calls", {}).get(name, {}).get("module", {})
        return m

    def call(self, module_addr: str):
        parent, _, last = module_addr.rpartition(".module.") if ".module." in module_addr else ("", "", module_addr[len("module."):])
        name = re.sub(r"\[.*\]$", "", last)
        return self.module(parent).get("module_calls", {}).get(name, {})

    def resource_expressions(self, address: str) -> dict:
        mod = module_of(address)
        local = address[len(mod) + 1:] if mod else address
        local = re.sub(r"\[[^\]]*\]$", "", local)
        for r in self.module(mod).get("resources", []):
            if r["address"] == local:
                return r.get("expressions", {})
        return {}

    def variable(self, module_addr: str, name: str):
        """The constant value of var.NAME in a module instance, following module call arguments."""
        if not module_addr:
            return self.variables.get(name)
        expr = self.call(module_addr).get("expressions", {}).get(name)
        if expr is None:
            default = self.module(module_addr).get("variables", {}).get(name, {})
            return default.get("default")
        return self.constant(module_addr.rpartition(".module.")[0] if ".module." in module_addr else "", expr)

    def constant(self, module_addr: str, expr: dict):
        if "constant_value" in expr:
            return expr["constant_value"]
        refs = expr.get("references", [])
        if len(refs) == 1 and refs[0].startswith("var."):
            return self.variable(module_addr, refs[0][4:])
        return None

    def region(self, provider_key: str) -> str:
        pc = self.cfg.get("provider_config", {}).get(provider_key, {})
        expr = pc.get("expressions", {}).get("region")
        if expr is None:
            return "us-east-1"
        return self.constant(pc.get("module_address", ""), expr) or "us-east-1"

    def provider_key(self, address: str) -> str:
        mod = module_of(address)
        local = re.sub(r"\[[^\]]*\]$", "", address[len(mod) + 1:] if mod else address)
        for r in self.module(mod).get("resources", []):
            if r["address"] == local:
                return r.get("provider_config_key", "aws")
        return "aws"


class Resolver:
    """Follows an attribute's configuration references to the resource attribute it copies
    (`aws_x.y.attr`, through `var.` module arguments and `module.X.output`), so that a
    generated ARN can embed another resource's generated id."""

    def __init__(self, config: Config, gen):
        self.config = config
        self.gen = gen

    def _follow(self, module_addr: str, ref: str, refs: list, index: str, depth=0):
        if depth > 20:
            return None
        if ref.startswith("var."):
            name = ref.split(".")[1]
            if not module_addr:
                return ("value", self.config.variables.get(name))
            expr = self.config.call(module_addr).get("expressions", {}).get(name)
            parent = module_addr.rpartition(".module.")[0] if ".module." in module_addr else ""
            return self._expr(parent, expr, "", depth + 1) if expr else None
        if ref.startswith("module."):
            parts = ref.split(".")
            child = f"{module_addr}.module.{parts[1]}" if module_addr else f"module.{parts[1]}"
            if len(parts) < 3:
                return None
            out = self.config.module(child).get("outputs", {}).get(parts[2], {}).get("expression")
            return self._expr(child, out, "", depth + 1) if out else None
        m = re.match(r"^(data\.)?(aws_[a-z0-9_]+)\.([a-zA-Z0-9_-]+)(\[[^\]]+\])?(?:\.([a-z0-9_]+))?$", ref)
        if m:
            key = m.group(4) or ""
            if not key and "count.index" in refs and index:
                key = index
            addr = f"{m.group(1) or ''}{m.group(2)}.{m.group(3)}{key}"
            full = f"{module_addr}.{addr}" if module_addr else addr
            return ("attr", full, m.group(5))
        return None

    def _expr(self, module_addr, expr, index="", depth=0):
        if not isinstance(expr, dict):
            return None
        if "constant_value" in expr:
            return ("value", expr["constant_value"])
        refs = expr.get("references", [])
        for ref in refs:
            got = self._follow(module_addr, ref, refs, index, depth)
            if got:
                return got
        return None

    def resolve(self, address: str, attr: str):
        expr = self.config.resource_expressions(address).get(attr)
        m = re.search(r"(\[[^\]]+\])$", address)
        return self._expr(module_of(address), expr, m.group(1) if m else "")

    def target(self, address: str, attr: str):
        """The resource instance an attribute refers to."""
        got = self.resolve(address, attr)
        return got[1] if got and got[0] == "attr" else None

    def value(self, address: str, attr: str):
        """The value that `attr` of `address` will have, when it copies another resource's attribute."""
        got = self.resolve(address, attr)
        if not got:
            return None
        if got[0] == "value":
            return got[1]
        return self.gen.attribute(got[1], got[2] or "id")


# ---------------------------------------------------------------------------
# Provider-computed values, per type
# ---------------------------------------------------------------------------
def arn(service, region, resource, account=ACCOUNT):
    return f"arn:aws:{service}:{region}:{account}:{resource}"


class Generator:
    def __init__(self, plan: dict):
        self.plan = plan
        self.config = Config(plan)
        self.resolver = Resolver(self.config, self)
        self.after = {rc["address"]: rc["change"].get("after") or {} for rc in plan.get("resource_changes", [])}
        self.types = {rc["address"]: rc["type"] for rc in plan.get("resource_changes", [])}
        self.cache = {}

    def region(self, address):
        return self.config.region(self.config.provider_key(address))

    def variables_db_name(self):
        return self.config.variables.get("db_name") or "app"

    def attribute(self, address, attr):
        """A resource's attribute: planned when known, else generated."""
        after = self.after.get(address, {})
        if after.get(attr) is not None:
            return after[attr]
        return self.values(address).get(attr)

    def values(self, address) -> dict:
        if address not in self.cache:
            self.cache[address] = {}
            t = self.types.get(address)
            fn = GENERATORS.get(t)
            ctx = Ctx(self, address, t)
            self.cache[address] = fn(ctx) if fn else {"id": ctx.h(12), "arn": ctx.arn_generic()}
        return self.cache[address]


class Ctx:
    def __init__(self, gen: Generator, address: str, type_: str):
        self.gen, self.address, self.type = gen, address, type_
        self.region = gen.region(address)
        self.after = gen.after.get(address, {})

    def a(self, attr, default=None):
        v = self.after.get(attr)
        if v is None:
            v = self.gen.resolver.value(self.address, attr)
        return default if v is None else v

    def ref(self, attr):
        return self.gen.resolver.value(self.address, attr)

    def h(self, n, salt=""):
        return hexid(n, self.address, salt)

    def arn_generic(self):
        svc = self.type.split("_")[1]
        return arn(svc, self.region, f"{self.type[4:]}/{self.h(12)}")


def _lb_names(lb_arn):
    # arn:aws:elasticloadbalancing:r:a:loadbalancer/app/NAME/HEX
    return lb_arn.split(":loadbalancer/")[1] if lb_arn and ":loadbalancer/" in lb_arn else "app/unknown/0"


def g_vpc(c):
    vid = ec2id("vpc", c.address)
    return {"id": vid, "arn": arn("ec2", c.region, f"vpc/{vid}"), "owner_id": ACCOUNT,
            "default_network_acl_id": ec2id("acl", c.address), "default_route_table_id": ec2id("rtb", c.address, "main"),
            "default_security_group_id": ec2id("sg", c.address, "default"), "dhcp_options_id": ec2id("dopt", c.region),
            "main_route_table_id": ec2id("rtb", c.address, "main"), "ipv6_association_id": "", "ipv6_cidr_block": "",
            "ipv6_cidr_block_network_border_group": "", "enable_network_address_usage_metrics": False}


def g_subnet(c):
    sid = ec2id("subnet", c.address)
    return {"id": sid, "arn": arn("ec2", c.region, f"subnet/{sid}"), "owner_id": ACCOUNT,
            "availability_zone_id": AZ_IDS.get(c.a("availability_zone"), ""), "ipv6_cidr_block_association_id": "",
            "private_dns_hostname_type_on_launch": "ip-name"}


def g_simple_ec2(prefix, kind):
    def g(c):
        i = ec2id(prefix, c.address)
        return {"id": i, "arn": arn("ec2", c.region, f"{kind}/{i}"), "owner_id": ACCOUNT}
    return g


def g_route_table(c):
    d = g_simple_ec2("rtb", "route-table")(c)
    d.update({"propagating_vgws": [], "route": []})
    return d


def g_default_route_table(c):
    rid = c.ref("default_route_table_id") or ec2id("rtb", c.address)
    vpc = None
    m = re.match(r"(.*)\.aws_default_route_table", c.address)
    if m:
        vpc = c.gen.attribute(f"{m.group(1)}.aws_vpc.this", "id")
    return {"id": rid, "arn": arn("ec2", c.region, f"route-table/{rid}"), "owner_id": ACCOUNT, "vpc_id": vpc,
            "propagating_vgws": []}


def g_default_sg(c):
    vpc_addr = c.address.replace("aws_default_security_group.this", "aws_vpc.this")
    sid = c.gen.attribute(vpc_addr, "default_security_group_id") or ec2id("sg", c.address)
    return {"id": sid, "arn": arn("ec2", c.region, f"security-group/{sid}"), "owner_id": ACCOUNT, "name": "default",
            "name_prefix": "", "description": "default VPC security group", "ingress": [], "egress": [],
            "vpc_id": c.ref("vpc_id")}


def g_security_group(c):
    sid = ec2id("sg", c.address)
    return {"id": sid, "arn": arn("ec2", c.region, f"security-group/{sid}"), "owner_id": ACCOUNT, "name_prefix": "",
            "ingress": [] if c.after.get("ingress") is None else c.after["ingress"],
            "egress": [] if c.after.get("egress") is None else c.after["egress"]}


def g_sg_rule(c):
    rid = ec2id("sgr", c.address)
    return {"id": rid, "security_group_rule_id": rid, "arn": arn("ec2", c.region, f"security-group-rule/{rid}")}


def g_route(c):
    rtb = c.ref("route_table_id") or ec2id("rtb", c.address)
    dest = c.a("destination_cidr_block") or c.a("destination_ipv6_cidr_block") or ""
    return {"id": f"r-{rtb}{abs(hash_int(dest)) % 10**10}", "origin": "CreateRoute", "state": "active",
            "instance_id": "", "instance_owner_id": "", "network_interface_id": ""}


def hash_int(s):
    return int(hexid(8, s), 16)


def g_eip(c):
    i = ec2id("eipalloc", c.address)
    prefix = "3.210" if c.region == "us-east-1" else "34.240"
    ip = ipv4(prefix, c.address)
    dns = (f"ec2-{ip.replace('.', '-')}.compute-1.amazonaws.com" if c.region == "us-east-1"
           else f"ec2-{ip.replace('.', '-')}.{c.region}.compute.amazonaws.com")
    return {"id": i, "allocation_id": i, "arn": arn("ec2", c.region, f"elastic-ip/{i}"), "association_id": "",
            "carrier_ip": "", "customer_owned_ip": "", "instance": "", "ipam_pool_id": None,
            "network_border_group": c.region, "network_interface": "", "private_dns": None, "private_ip": "",
            "ptr_record": "", "public_dns": dns, "public_ip": ip, "public_ipv4_pool": "amazon", "vpc": True}


def g_nat(c):
    i = ec2id("nat", c.address)
    eip = c.gen.resolver.target(c.address, "allocation_id")
    public_ip = c.gen.attribute(eip, "public_ip") if eip else ""
    subnet = c.gen.resolver.target(c.address, "subnet_id")
    cidr = c.gen.attribute(subnet, "cidr_block") if subnet else "10.0.0.0/24"
    base = cidr.split("/")[0].rsplit(".", 1)[0]
    return {"id": i, "association_id": ec2id("eipassoc", c.address), "network_interface_id": ec2id("eni", c.address),
            "private_ip": f"{base}.{hash_int(c.address) % 200 + 10}", "public_ip": public_ip,
            "secondary_private_ip_address_count": 0, "secondary_private_ip_addresses": [],
            "secondary_allocation_ids": []}


def g_rtb_assoc(c):
    return {"id": ec2id("rtbassoc", c.address)}


def g_vpc_endpoint(c):
    i = ec2id("vpce", c.address)
    svc = (c.a("service_name") or "").rsplit(".", 1)[-1]
    return {"id": i, "arn": arn("ec2", c.region, f"vpc-endpoint/{i}"), "owner_id": ACCOUNT, "cidr_blocks": [],
            "dns_entry": [], "dns_options": [], "ip_address_type": "", "network_interface_ids": [],
            "prefix_list_id": GATEWAY_PREFIX_LISTS.get((c.region, svc), ""), "private_dns_enabled": False,
            "requester_managed": False, "security_group_ids": [], "service_region": c.region, "state": "available",
            "subnet_configuration": [], "subnet_ids": [],
            "policy": json.dumps({"Version": "2008-10-17", "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}, separators=(",", ":"))}


def g_flow_log(c):
    i = ec2id("fl", c.address)
    return {"id": i, "arn": arn("ec2", c.region, f"vpc-flow-log/{i}"), "log_group_name": "",
            "log_format": "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} "
                          "${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"}


def g_igw(c):
    return g_simple_ec2("igw", "internet-gateway")(c)


def g_kms_key(c):
    k = uuid(c.address)
    return {"id": k, "key_id": k, "arn": arn("kms", c.region, f"key/{k}")}


def g_kms_alias(c):
    name = c.a("name")
    return {"id": name, "arn": arn("kms", c.region, name), "name_prefix": "",
            "target_key_arn": c.gen.attribute(_ref_addr(c, "target_key_id"), "arn")}


def _ref_addr(c, attr):
    return c.gen.resolver.target(c.address, attr)


def g_iam_role(c):
    name = c.a("name")
    return {"id": name, "arn": f"arn:aws:iam::{ACCOUNT}:role/{name}", "unique_id": "AROA" + upper(17, c.address),
            "create_date": CREATED, "name_prefix": "", "managed_policy_arns": [], "inline_policy": []}


def g_iam_role_policy(c):
    return {"id": f"{c.a('role')}:{c.a('name')}", "name_prefix": ""}


def g_iam_attach(c):
    return {"id": f"{c.a('role')}-{20250115093000 + hash_int(c.address) % 1000000:014d}000001"}


def g_log_group(c):
    name = c.a("name")
    return {"id": name, "arn": arn("logs", c.region, f"log-group:{name}"), "log_group_class": "STANDARD",
            "name_prefix": ""}


def g_s3_bucket(c):
    b = c.a("bucket")
    return {"id": b, "arn": f"arn:aws:s3:::{b}", "bucket_domain_name": f"{b}.s3.amazonaws.com",
            "bucket_regional_domain_name": f"{b}.s3.{c.region}.amazonaws.com", "hosted_zone_id": S3_ZONE[c.region],
            "region": c.region, "bucket_prefix": "", "acceleration_status": "", "acl": None, "cors_rule": [],
            "grant": [{"id": hexid(64, ACCOUNT, "canonical"), "permissions": ["FULL_CONTROL"], "type": "CanonicalUser",
                       "uri": ""}],
            "lifecycle_rule": [], "logging": [], "object_lock_configuration": [], "object_lock_enabled": False,
            "policy": "", "replication_configuration": [], "request_payer": "BucketOwner",
            "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [
                {"kms_master_key_id": "", "sse_algorithm": "AES256"}], "bucket_key_enabled": False}]}],
            "versioning": [{"enabled": False, "mfa_delete": False}], "website": [], "website_domain": None,
            "website_endpoint": None}


def g_bucket_child(c):
    return {"id": c.a("bucket") or "", "expected_bucket_owner": "",
            "versioning_configuration": {"mfa_delete": ""}}


def g_sns_topic(c):
    name = c.a("name")
    a = arn("sns", c.region, name)
    policy = {"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{
        "Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"},
        "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
                   "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
        "Resource": a, "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}}]}
    return {"id": a, "arn": a, "owner": ACCOUNT, "name_prefix": "", "beginning_archive_time": "",
            "fifo_throughput_scope": "", "signature_version": 0, "tracing_config": "",
            "policy": json.dumps(policy, separators=(",", ":"))}


def g_sns_sub(c):
    topic = c.ref("topic_arn") or arn("sns", c.region, "topic")
    a = f"{topic}:{uuid(c.address)}"
    return {"id": a, "arn": a, "owner_id": ACCOUNT, "pending_confirmation": True,
            "confirmation_was_authenticated": False, "filter_policy_scope": ""}


def g_sns_policy(c):
    return {"id": c.ref("arn") or "", "owner": ACCOUNT}


def g_alarm(c):
    name = c.a("alarm_name")
    return {"id": name, "arn": arn("cloudwatch", c.region, f"alarm:{name}"),
            "evaluate_low_sample_count_percentiles": ""}


def g_lambda(c):
    name = c.a("function_name")
    a = arn("lambda", c.region, f"function:{name}")
    invoke = f"arn:aws:apigateway:{c.region}:lambda:path/2015-03-31/functions/{a}/invocations"
    sha = base64.b64encode(_digest("code", name)).decode()
    return {"id": name, "arn": a, "invoke_arn": invoke, "qualified_arn": f"{a}:$LATEST",
            "qualified_invoke_arn": f"arn:aws:apigateway:{c.region}:lambda:path/2015-03-31/functions/{a}:$LATEST/invocations",
            "version": "$LATEST", "last_modified": "2025-01-15T09:30:00.000+0000", "code_sha256": sha,
            "source_code_hash": sha, "source_code_size": 1048576 + hash_int(name) % 100000, "signing_job_arn": "",
            "signing_profile_version_arn": "", "ephemeral_storage": {"size": 512}, "architectures": ["x86_64"],
            "vpc_config": {"vpc_id": _subnet_vpc(c, "vpc_config")}}


def _subnet_vpc(c, block=None):
    """The VPC of a resource's subnets: every platform subnet is in its module's network VPC."""
    mod = module_of(c.address)
    m = re.match(r"^(module\.regions\.module\.[a-z]+)", mod)
    if not m:
        return ""
    return c.gen.attribute(f"{m.group(1)}.module.network.aws_vpc.this", "id")


def g_lambda_permission(c):
    return {"id": c.a("statement_id"), "statement_id_prefix": ""}


def g_lb(c):
    name = c.a("name")
    suffix = f"app/{name}/{c.h(16)}"
    internal = c.a("internal") is True
    dns = f"{'internal-' if internal else ''}{name}-{hash_int(c.address) % 10**10}.{c.region}.elb.amazonaws.com"
    return {"id": arn("elasticloadbalancing", c.region, f"loadbalancer/{suffix}"),
            "arn": arn("elasticloadbalancing", c.region, f"loadbalancer/{suffix}"), "arn_suffix": suffix,
            "dns_name": dns, "zone_id": ALB_ZONE[c.region], "vpc_id": _subnet_vpc(c), "name_prefix": "",
            "enforce_security_group_inbound_rules_on_private_link_traffic": "",
            "subnet_mapping": []}


def g_listener(c):
    lb = c.ref("load_balancer_arn") or ""
    a = arn("elasticloadbalancing", c.region, f"listener/{_lb_names(lb)}/{c.h(16)}")
    https = c.a("protocol") == "HTTPS"
    d = {"id": a, "arn": a, "mutual_authentication": [{"mode": "off", "ignore_client_certificate_expiry": False,
                                                        "trust_store_arn": "", "advertise_trust_store_ca_names": ""}]
         if https else [],
         "ssl_policy": c.after.get("ssl_policy") or "", "tcp_idle_timeout_seconds": None,
         "default_action": {"order": 1}, "routing_http_response_server_enabled": True}
    for k in ("routing_http_request_x_amzn_mtls_clientcert_header_name",
              "routing_http_request_x_amzn_mtls_clientcert_issuer_header_name",
              "routing_http_request_x_amzn_mtls_clientcert_leaf_header_name",
              "routing_http_request_x_amzn_mtls_clientcert_serial_number_header_name",
              "routing_http_request_x_amzn_mtls_clientcert_subject_header_name",
              "routing_http_request_x_amzn_mtls_clientcert_validity_header_name",
              "routing_http_request_x_amzn_tls_cipher_suite_header_name",
              "routing_http_request_x_amzn_tls_version_header_name",
              "routing_http_response_access_control_allow_credentials_header_value",
              "routing_http_response_access_control_allow_headers_header_value",
              "routing_http_response_access_control_allow_methods_header_value",
              "routing_http_response_access_control_allow_origin_header_value",
              "routing_http_response_access_control_expose_headers_header_value",
              "routing_http_response_access_control_max_age_header_value",
              "routing_http_response_content_security_policy_header_value",
              "routing_http_response_strict_transport_security_header_value",
              "routing_http_response_x_content_type_options_header_value",
              "routing_http_response_x_frame_options_header_value"):
        d[k] = None
    return d


def g_target_group(c):
    name = c.a("name")
    suffix = f"targetgroup/{name}/{c.h(16)}"
    return {"id": arn("elasticloadbalancing", c.region, suffix), "arn": arn("elasticloadbalancing", c.region, suffix),
            "arn_suffix": suffix, "connection_termination": False, "ip_address_type": "ipv4", "load_balancer_arns": [],
            "load_balancing_algorithm_type": "round_robin", "load_balancing_anomaly_mitigation": "off",
            "load_balancing_cross_zone_enabled": "use_load_balancer_configuration", "name_prefix": "",
            "preserve_client_ip": None, "protocol_version": "HTTP1",
            "stickiness": [{"cookie_duration": 86400, "cookie_name": "", "enabled": False, "type": "lb_cookie"}],
            "target_failover": [{"on_deregistration": None, "on_unhealthy": None}],
            "target_group_health": [{"dns_failover": [{"minimum_healthy_targets_count": "1",
                                                       "minimum_healthy_targets_percentage": "off"}],
                                     "unhealthy_state_routing": [{"minimum_healthy_targets_count": 1,
                                                                  "minimum_healthy_targets_percentage": "off"}]}],
            "target_health_state": [], "vpc_id": c.ref("vpc_id")}


def g_acm(c):
    cid = uuid(c.address)
    names = [c.a("domain_name")] + list(c.a("subject_alternative_names") or [])
    dvo = [{"domain_name": n, "resource_record_name": f"_{hexid(32, n, 'acm')}.{n}.",
            "resource_record_type": "CNAME",
            "resource_record_value": f"_{hexid(32, n, c.address)}.{lower(10, n, c.address)}.acm-validations.aws."}
           for n in sorted(set(names))]
    return {"id": arn("acm", c.region, f"certificate/{cid}"), "arn": arn("acm", c.region, f"certificate/{cid}"),
            "domain_validation_options": dvo, "not_after": "2026-02-13T23:59:59Z", "not_before": "2025-01-15T00:00:00Z",
            "pending_renewal": False, "renewal_eligibility": "INELIGIBLE", "renewal_summary": [], "status": "ISSUED",
            "type": "AMAZON_ISSUED", "validation_emails": []}


def g_acm_validation(c):
    return {"id": "2025-01-15 09:35:00.000 +0000 UTC"}


def g_zone(c):
    zid = "Z" + upper(20, c.address)
    ns = [f"ns-{hash_int(c.address + str(i)) % 2048}.awsdns-{hash_int(c.address + 'd' + str(i)) % 64:02d}.{tld}"
          for i, tld in enumerate(["com", "net", "org", "co.uk"])]
    return {"id": zid, "zone_id": zid, "arn": f"arn:aws:route53:::hostedzone/{zid}", "name_servers": ns,
            "primary_name_server": ns[0]}


def g_record(c):
    zone = c.ref("zone_id") or ""
    name = (c.a("name") or "").rstrip(".").lower()
    parts = [zone, name, c.a("type") or ""]
    if c.a("set_identifier"):
        parts.append(c.a("set_identifier"))
    return {"id": "_".join(parts), "fqdn": name, "allow_overwrite": False}


def g_health_check(c):
    i = uuid(c.address)
    return {"id": i, "arn": f"arn:aws:route53:::healthcheck/{i}", "enable_sni": False, "failure_threshold": 0,
            "triggers": {}}


def g_cloudfront(c):
    did = "E" + upper(13, c.address)
    return {"id": did, "arn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/{did}",
            "domain_name": f"d{lower(13, c.address)}.cloudfront.net", "hosted_zone_id": "Z2FDTNDATAQYW2",
            "etag": "E" + upper(13, c.address, "etag"), "status": "Deployed", "caller_reference": f"terraform-{c.h(26)}",
            "last_modified_time": "2025-01-15 09:40:00.000 +0000 UTC", "in_progress_validation_batches": 0,
            "continuous_deployment_policy_id": "", "trusted_key_groups": [{"enabled": False, "items": []}],
            "trusted_signers": [{"enabled": False, "items": []}],
            "default_cache_behavior": {"default_ttl": 0, "max_ttl": 0, "trusted_key_groups": [],
                                       "trusted_signers": [], "grpc_config": {"enabled": False}},
            "ordered_cache_behavior": {"default_ttl": 0, "max_ttl": 0, "grpc_config": {"enabled": False}},
            "restrictions": {"geo_restriction": {"locations": []}}}


def g_cf_headers(c):
    i = uuid(c.address)
    return {"id": i, "arn": f"arn:aws:cloudfront::{ACCOUNT}:response-headers-policy/{i}",
            "etag": "E" + upper(13, c.address, "etag")}


def g_waf(c):
    i = uuid(c.address)
    scope = "global" if c.a("scope") == "CLOUDFRONT" else "regional"
    return {"id": i, "arn": arn("wafv2", c.region, f"{scope}/webacl/{c.a('name')}/{i}"), "capacity": 1125,
            "lock_token": uuid(c.address, "lock"), "application_integration_url": "", "name_prefix": ""}


def g_shield(c):
    i = uuid(c.address)
    return {"id": i, "arn": f"arn:aws:shield::{ACCOUNT}:protection/{i}"}


def g_shield_group(c):
    gid = c.a("protection_group_id")
    return {"id": gid, "protection_group_arn": f"arn:aws:shield::{ACCOUNT}:protection-group/{gid}", "members": []}


def g_shield_hc(c):
    return {"id": f"{uuid(c.address)}+arn:aws:route53:::healthcheck/{uuid(c.address, 'hc')}"}


def g_waf_logging(c):
    return {"id": c.ref("resource_arn") or ""}


def g_dynamodb(c):
    name = c.a("name")
    a = arn("dynamodb", c.region, f"table/{name}")
    label = "2025-01-15T09:30:00.000"
    replica = {}
    reps = c.after.get("replica") or []
    if reps:
        rr = reps[0].get("region_name")
        ra = arn("dynamodb", rr, f"table/{name}")
        replica = {"arn": ra, "stream_arn": f"{ra}/stream/{label}", "stream_label": label}
    return {"id": name, "arn": a, "stream_arn": f"{a}/stream/{label}", "stream_label": label, "read_capacity": 0,
            "write_capacity": 0, "replica": replica, "point_in_time_recovery": {"recovery_period_in_days": 35}}


def g_ecs_cluster(c):
    a = arn("ecs", c.region, f"cluster/{c.a('name')}")
    return {"id": a, "arn": a}


def g_ecs_service(c):
    cluster = c.ref("cluster") or ""
    cname = cluster.rsplit("/", 1)[-1]
    a = arn("ecs", c.region, f"service/{cname}/{c.a('name')}")
    return {"id": a, "iam_role": "/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS", "triggers": {}}


def g_task_def(c):
    fam = c.a("family")
    return {"id": fam, "arn": arn("ecs", c.region, f"task-definition/{fam}:1"),
            "arn_without_revision": arn("ecs", c.region, f"task-definition/{fam}"), "revision": 1,
            "enable_fault_injection": False, "volume": {"configure_at_launch": False}}


def g_scalable_target(c):
    rid = c.a("resource_id") or ""
    return {"id": rid, "arn": arn("application-autoscaling", c.region, f"scalable-target/0ec5{c.h(28)}"),
            "role_arn": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/"
                        "AWSServiceRoleForApplicationAutoScaling_ECSService",
            "suspended_state": [{"dynamic_scaling_in_suspended": False, "dynamic_scaling_out_suspended": False,
                                 "scheduled_scaling_suspended": False}]}


def g_scaling_policy(c):
    return {"id": c.a("name"), "alarm_arns": [],
            "arn": arn("autoscaling", c.region, f"scalingPolicy:{uuid(c.address)}:resource/ecs/policyName/{c.a('name')}")}


def g_codedeploy_app(c):
    i = uuid(c.address)
    return {"id": f"{i}:{c.a('name')}", "application_id": i, "github_account_name": "", "linked_to_github": False,
            "arn": arn("codedeploy", c.region, f"application:{c.a('name')}")}


def g_codedeploy_group(c):
    i = uuid(c.address)
    return {"id": i, "deployment_group_id": i, "compute_platform": "ECS",
            "arn": arn("codedeploy", c.region, f"deploymentgroup:{c.ref('app_name')}/{c.a('deployment_group_name')}"),
            "blue_green_deployment_config": {"green_fleet_provisioning_option": []}}


def g_backup_vault(c):
    name = c.a("name")
    return {"id": name, "arn": arn("backup", c.region, f"backup-vault:{name}"), "recovery_points": 0}


def g_vault_child(c):
    vault = c.ref("backup_vault_name") or ""
    return {"id": vault, "backup_vault_arn": arn("backup", c.region, f"backup-vault:{vault}")}


def g_backup_plan(c):
    i = uuid(c.address)
    return {"id": i, "arn": arn("backup", c.region, f"backup-plan:{i}"),
            "version": base64.b64encode(_digest("version", c.address)).decode()[:44],
            "rule": {"lifecycle": {"opt_in_to_archive_for_supported_resources": False},
                     "copy_action": {"lifecycle": {"opt_in_to_archive_for_supported_resources": False}}}}


def g_backup_selection(c):
    return {"id": uuid(c.address), "condition": [{"string_equals": [], "string_like": [], "string_not_equals": [],
                                                  "string_not_like": []}], "not_resources": []}


def g_secret(c):
    name = c.a("name")
    a = arn("secretsmanager", c.region, f"secret:{name}-{upper(6, c.address).replace('0', 'x')}")
    return {"id": a, "arn": a, "name_prefix": "", "policy": "", "replica": []}


def g_secret_rotation(c):
    return {"id": c.ref("secret_id") or "", "rotation_enabled": True}


def g_ssm(c):
    name = c.a("name")
    return {"id": name, "arn": arn("ssm", c.region, f"parameter{name}" if name.startswith("/") else f"parameter/{name}"),
            "version": 1, "data_type": "text", "insecure_value": None, "has_value_wo": None}


def g_fis(c):
    return {"id": "EXT" + upper(14, c.address), "arn": arn("fis", c.region, f"experiment-template/EXT{upper(14, c.address)}")}


def g_rds_pg(c):
    name = c.a("name")
    return {"id": name, "arn": arn("rds", c.region, f"cluster-pg:{name}"), "name_prefix": ""}


def g_db_subnet_group(c):
    name = c.a("name")
    return {"id": name, "arn": arn("rds", c.region, f"subgrp:{name}"), "name_prefix": "",
            "supported_network_types": ["IPV4"], "vpc_id": _subnet_vpc(c)}


def g_rds_cluster(c):
    ident = c.a("cluster_identifier")
    h = lower(12, c.address)
    return {"id": ident, "arn": arn("rds", c.region, f"cluster:{ident}"),
            "cluster_resource_id": "cluster-" + upper(26, c.address), "endpoint": f"{ident}.cluster-{h}.{c.region}.rds.amazonaws.com",
            "reader_endpoint": f"{ident}.cluster-ro-{h}.{c.region}.rds.amazonaws.com", "hosted_zone_id": RDS_ZONE[c.region],
            "availability_zones": [f"{c.region}a", f"{c.region}b", f"{c.region}c"], "allocated_storage": 1,
            "ca_certificate_identifier": "rds-ca-rsa2048-g1", "ca_certificate_valid_till": "2026-01-15T09:30:00Z",
            "cluster_identifier_prefix": "", "cluster_members": [], "cluster_scalability_type": "standard",
            "database_insights_mode": "standard", "db_system_id": "", "engine_version_actual": c.a("engine_version"),
            "engine_lifecycle_support": "open-source-rds-extended-support", "iam_roles": [], "master_user_secret": [],
            "master_user_secret_kms_key_id": None, "monitoring_interval": 0, "monitoring_role_arn": "",
            "network_type": "IPV4", "performance_insights_kms_key_id": "", "performance_insights_retention_period": 0,
            "storage_type": "aurora", "database_name": c.gen.variables_db_name(), "master_username": "postgres_admin"}


def g_rds_instance(c):
    ident = c.a("identifier")
    idx = int(re.search(r"\[(\d+)\]$", c.address).group(1)) if re.search(r"\[(\d+)\]$", c.address) else 0
    primary = ".module.primary." in c.address
    return {"id": ident, "arn": arn("rds", c.region, f"db:{ident}"), "dbi_resource_id": "db-" + upper(26, c.address),
            "endpoint": f"{ident}.{lower(12, module_of(c.address))}.{c.region}.rds.amazonaws.com",
            "availability_zone": f"{c.region}{'abc'[idx % 3]}", "port": 5432, "writer": primary and idx == 0,
            "kms_key_id": None, "storage_encrypted": True, "network_type": "IPV4",
            "db_parameter_group_name": "default.aurora-postgresql16", "engine_version_actual": None,
            "identifier_prefix": "", "preferred_backup_window": "03:00-04:00",
            "preferred_maintenance_window": "sun:05:00-sun:06:00", "monitoring_role_arn": None,
            "performance_insights_kms_key_id": None}


def g_global_cluster(c):
    ident = c.a("global_cluster_identifier")
    return {"id": ident, "arn": f"arn:aws:rds::{ACCOUNT}:global-cluster:{ident}",
            "global_cluster_resource_id": "cluster-" + upper(26, c.address),
            "endpoint": f"{ident}.global-{lower(10, c.address)}.global.rds.amazonaws.com",
            "engine_version_actual": c.a("engine_version"), "engine_lifecycle_support": "open-source-rds-extended-support",
            "global_cluster_members": [], "source_db_cluster_identifier": ""}


def g_apigw_account(c):
    return {"id": "api-gateway-account", "api_key_version": "4", "features": ["UsagePlans"],
            "throttle_settings": [{"burst_limit": 5000, "rate_limit": 10000}]}


def g_api(c):
    i = lower(10, c.address)
    return {"id": i, "arn": f"arn:aws:apigateway:{c.region}::/apis/{i}",
            "api_endpoint": f"wss://{i}.execute-api.{c.region}.amazonaws.com",
            "execution_arn": arn("execute-api", c.region, i), "ip_address_type": "ipv4"}


def g_api_child(n):
    def g(c):
        return {"id": lower(n, c.address), "integration_response_selection_expression": "",
                "timeout_milliseconds": 29000, "authorizer_result_ttl_in_seconds": 0, "api_mapping_selection_expression": ""}
    return g


def g_domain_name(c):
    dn = c.a("domain_name")
    return {"id": dn, "arn": f"arn:aws:apigateway:{c.region}::/domainnames/{dn}", "api_mapping_selection_expression": "$request.basepath",
            "domain_name_configuration": {"hosted_zone_id": APIGW_ZONE[c.region], "ip_address_type": "ipv4",
                                          "ownership_verification_certificate_arn": "",
                                          "target_domain_name": f"d-{lower(10, c.address)}.execute-api.{c.region}.amazonaws.com"}}


def g_stage(c):
    api = c.ref("api_id") or ""
    name = c.a("name")
    return {"id": name, "arn": f"arn:aws:apigateway:{c.region}::/apis/{api}/stages/{name}",
            "execution_arn": arn("execute-api", c.region, f"{api}/{name}"),
            "invoke_url": f"wss://{api}.execute-api.{c.region}.amazonaws.com/{name}", "deployment_id": ""}


GENERATORS = {
    "aws_vpc": g_vpc, "aws_subnet": g_subnet, "aws_internet_gateway": g_igw, "aws_route_table": g_route_table,
    "aws_default_route_table": g_default_route_table, "aws_default_security_group": g_default_sg,
    "aws_security_group": g_security_group, "aws_vpc_security_group_ingress_rule": g_sg_rule,
    "aws_vpc_security_group_egress_rule": g_sg_rule, "aws_route": g_route, "aws_eip": g_eip, "aws_nat_gateway": g_nat,
    "aws_route_table_association": g_rtb_assoc, "aws_vpc_endpoint": g_vpc_endpoint, "aws_flow_log": g_flow_log,
    "aws_kms_key": g_kms_key, "aws_kms_alias": g_kms_alias, "aws_iam_role": g_iam_role,
    "aws_iam_role_policy": g_iam_role_policy, "aws_iam_role_policy_attachment": g_iam_attach,
    "aws_cloudwatch_log_group": g_log_group, "aws_s3_bucket": g_s3_bucket,
    "aws_s3_bucket_public_access_block": g_bucket_child, "aws_s3_bucket_ownership_controls": g_bucket_child,
    "aws_s3_bucket_server_side_encryption_configuration": g_bucket_child, "aws_s3_bucket_versioning": g_bucket_child,
    "aws_s3_bucket_lifecycle_configuration": g_bucket_child, "aws_s3_bucket_policy": g_bucket_child,
    "aws_sns_topic": g_sns_topic, "aws_sns_topic_subscription": g_sns_sub, "aws_sns_topic_policy": g_sns_policy,
    "aws_cloudwatch_metric_alarm": g_alarm, "aws_lambda_function": g_lambda, "aws_lambda_permission": g_lambda_permission,
    "aws_lb": g_lb, "aws_lb_listener": g_listener, "aws_lb_target_group": g_target_group, "aws_acm_certificate": g_acm,
    "aws_acm_certificate_validation": g_acm_validation, "aws_route53_zone": g_zone, "aws_route53_record": g_record,
    "aws_route53_health_check": g_health_check, "aws_cloudfront_distribution": g_cloudfront,
    "aws_cloudfront_response_headers_policy": g_cf_headers, "aws_wafv2_web_acl": g_waf, "aws_shield_protection": g_shield,
    "aws_shield_protection_group": g_shield_group, "aws_shield_protection_health_check_association": g_shield_hc,
    "aws_wafv2_web_acl_logging_configuration": g_waf_logging, "aws_dynamodb_table": g_dynamodb,
    "aws_ecs_cluster": g_ecs_cluster, "aws_ecs_service": g_ecs_service, "aws_ecs_task_definition": g_task_def,
    "aws_appautoscaling_target": g_scalable_target, "aws_appautoscaling_policy": g_scaling_policy,
    "aws_codedeploy_app": g_codedeploy_app, "aws_codedeploy_deployment_group": g_codedeploy_group,
    "aws_backup_vault": g_backup_vault, "aws_backup_vault_lock_configuration": g_vault_child,
    "aws_backup_vault_notifications": g_vault_child, "aws_backup_plan": g_backup_plan,
    "aws_backup_selection": g_backup_selection, "aws_secretsmanager_secret": g_secret,
    "aws_secretsmanager_secret_rotation": g_secret_rotation, "aws_ssm_parameter": g_ssm,
    "aws_fis_experiment_template": g_fis, "aws_rds_cluster_parameter_group": g_rds_pg,
    "aws_db_subnet_group": g_db_subnet_group, "aws_rds_cluster": g_rds_cluster,
    "aws_rds_cluster_instance": g_rds_instance, "aws_rds_global_cluster": g_global_cluster,
    "aws_api_gateway_account": g_apigw_account, "aws_apigatewayv2_api": g_api,
    "aws_apigatewayv2_api_mapping": g_api_child(6), "aws_apigatewayv2_authorizer": g_api_child(6),
    "aws_apigatewayv2_integration": g_api_child(7), "aws_apigatewayv2_route": g_api_child(7),
    "aws_apigatewayv2_domain_name": g_domain_name, "aws_apigatewayv2_stage": g_stage,
}


# ---------------------------------------------------------------------------
# Overrides
# ---------------------------------------------------------------------------
def _type_default(ty):
    if ty == "string":
        return ""
    if ty == "number":
        return 0
    if ty == "bool":
        return False
    if isinstance(ty, list) and ty[0] in ("list", "set"):
        return []
    if isinstance(ty, list) and ty[0] == "map":
        return {}
    return None


def _computed_values(block: dict, after, unknown, generated: dict, missing: list, path: str, configured=()):
    """The values of the computed attributes of one (nested) block: planned when known,
    generated when unknown. Nested blocks give one object for all their elements."""
    out = {}
    after = after if isinstance(after, dict) else {}
    unknown = unknown if isinstance(unknown, dict) else ({} if unknown is not True else None)
    for name, spec in block.get("attributes", {}).items():
        if not spec.get("computed"):
            continue
        u = True if unknown is None else unknown.get(name)
        if u is True or (u and name in generated):
            if name in generated:
                out[name] = generated[name]
            else:
                out[name] = _type_default(spec.get("type"))
                if name not in configured:
                    missing.append(f"{path}{name}")
        elif u:
            # known in part (a collection with unknown elements): generated or left to Terraform
            if name in generated:
                out[name] = generated[name]
            else:
                missing.append(f"{path}{name}")
        elif name in after:
            out[name] = after[name]
    for name, spec in block.get("block_types", {}).items():
        elems = after.get(name) if isinstance(after.get(name), list) else []
        uelems = unknown.get(name) if isinstance(unknown, dict) else None
        sub_gen = generated.get(name) if isinstance(generated.get(name), dict) else {}
        sub = _computed_values(spec["block"], elems[0] if elems else {},
                               (uelems[0] if isinstance(uelems, list) and uelems else (True if uelems is True else {})),
                               sub_gen, missing, f"{path}{name}.")
        if sub:
            out[name] = sub
    return out


def overrides(plan: dict, schema: dict):
    """override_resource blocks for every managed resource instance the plan creates, and
    the list of unknown computed attributes that got a type default (for review)."""
    gen = Generator(plan)
    res_schemas = schema["provider_schemas"]["registry.terraform.io/hashicorp/aws"]["resource_schemas"]
    blocks, missing = [], []
    for rc in plan.get("resource_changes", []):
        if rc["mode"] != "managed" or "create" not in rc["change"]["actions"]:
            continue
        block = res_schemas[rc["type"]]["block"]
        generated = gen.values(rc["address"])
        configured = set(gen.config.resource_expressions(rc["address"]))
        values = _computed_values(block, rc["change"].get("after"), rc["change"].get("after_unknown"),
                                  generated, missing, f"{rc['type']}.", configured)
        # Used when planning already, as a real provider would know them at apply: a for_each
        # over a certificate's validation options needs its domain names.
        blocks.append({"target": rc["address"], "override_during": "plan", "values": values})
    return blocks, sorted(set(missing))


# ---------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------
def _scalars(v):
    return {k: x for k, x in v.items() if isinstance(x, (str, int, float, bool))} if isinstance(v, dict) else {}


def _fill(planned, unknown, applied):
    """The planned value with every unknown part taken from the applied value."""
    if unknown is True:
        return copy.deepcopy(applied)
    if isinstance(unknown, dict) and isinstance(planned, dict):
        applied = applied if isinstance(applied, dict) else {}
        out = {}
        for k in sorted(set(planned) | set(unknown) | set(applied)):
            if k in planned or unknown.get(k):
                out[k] = _fill(planned.get(k), unknown.get(k, False), applied.get(k))
            else:
                out[k] = copy.deepcopy(applied[k])
        return out
    if isinstance(unknown, list) and isinstance(planned, list) and any(unknown):
        applied = list(applied) if isinstance(applied, list) else []
        out, used = [], set()
        for i, p in enumerate(planned):
            u = unknown[i] if i < len(unknown) else False
            keys = _scalars(p)
            match = None
            for j, a in enumerate(applied):
                if j not in used and all(_scalars(a).get(k) == x for k, x in keys.items()):
                    match = j
                    break
            if match is None and i < len(applied) and i not in used:
                match = i
            used.add(match)
            out.append(_fill(p, u, applied[match] if match is not None else None))
        return out
    return copy.deepcopy(planned)


def _sorted(v):
    if isinstance(v, dict):
        return {k: _sorted(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [_sorted(x) for x in v]
    return v


def _computed_blocks(gen, rc, values):
    """Optional+computed blocks the provider fills on create (a target group's stickiness, an
    S3 bucket's default encryption, a load balancer's subnet mappings). Mocked resources
    never fill blocks, so the generated value is used where the plan left the block unknown
    and the applied value is empty."""
    unknown = rc["change"].get("after_unknown") or {}
    generated = gen.values(rc["address"])
    for k, u in unknown.items():
        if u is True and values.get(k) in ([], None) and isinstance(generated.get(k), list) and generated[k]:
            values[k] = copy.deepcopy(generated[k])
    if rc["type"] == "aws_lb" and unknown.get("subnet_mapping") is True and not values.get("subnet_mapping"):
        values["subnet_mapping"] = [{"allocation_id": "", "ipv6_address": "", "outpost_id": "",
                                     "private_ipv4_address": "", "subnet_id": s} for s in sorted(values.get("subnets") or [])]


def assemble(plan: dict, test_state: dict) -> dict:
    """The `terraform show -json` state of the applied plan."""
    changes = {rc["address"]: rc for rc in plan.get("resource_changes", [])}
    gen = Generator(plan)

    def module(m):
        out = {}
        resources = []
        for r in m.get("resources", []):
            r = copy.deepcopy(r)
            rc = changes.get(r["address"])
            if rc is not None and r["mode"] == "managed":
                ch = rc["change"]
                r["values"] = _fill(ch.get("after"), ch.get("after_unknown"), r["values"])
                _computed_blocks(gen, rc, r["values"])
            r["values"] = _sorted(r["values"])
            r["sensitive_values"] = _sorted(r.get("sensitive_values", {}))
            resources.append(r)
        if resources:
            out["resources"] = resources
        if "address" in m:
            out["address"] = m["address"]
        children = sorted((module(c) for c in m.get("child_modules", [])), key=lambda c: c["address"])
        if children:
            out["child_modules"] = children
        return out

    values = {}
    if test_state.get("outputs"):
        values["outputs"] = test_state["outputs"]
    values["root_module"] = module(test_state["root_module"])
    return {"format_version": "1.0", "terraform_version": plan["terraform_version"], "values": values}


def check_complete(plan: dict, state: dict) -> list:
    """Problems: resources of the plan missing from the state, values still unknown."""
    problems = []
    in_state = {r["address"] for r in iter_resources(state["values"]["root_module"])}
    for rc in plan.get("resource_changes", []):
        if rc["mode"] == "managed" and rc["address"] not in in_state:
            problems.append(f"{rc['address']}: not in the applied state")
    return problems
