#!/usr/bin/env python3
"""Writes plans of the reference shapes whose cost must grow linearly (format 1.2).

    count-index  N subnets, route tables, default routes, associations, EC2 instances and ECS
                 services, each picking its own with `aws_X.s[count.index]` (Terraform records
                 `["aws_X.s", "count.index"]`); the shape of tests/fixtures/plans/count-index,
                 made with Terraform. HP-NET-002 (ECS services) and HP-NET-009 (instances)
                 flag the consumers at [1].
    diamond      N CloudFront distributions whose web_acl_id is `module.l1.a`; in each of
                 --depth nested modules (default 12), outputs `a` and `b` both refer to `a` and
                 `b` of the next module, the deepest to a WAF ACL: 2^depth paths per attribute.
    waivers      a .tfwarden.toml of N waivers over the plan given by --reference: nine in ten
                 name an exact address of it (HP-NET-001 and HP-NET-003 in turn), one in ten a
                 glob matching nothing (`module.gone123.*`).

    bench/gen_shapes.py --shape count-index --n 4000 --out /tmp/ci-4000.json
    build/tfwarden check /tmp/ci-4000.json --format json --timings --only HP-NET-002,HP-NET-009
    bench/gen_shapes.py --shape waivers --n 100000 --reference fixtures/reference-platform/plan.json \
        --out /tmp/waivers.toml
"""

import argparse
import json
import sys

AWS = "registry.terraform.io/hashicorp/aws"


def change(address, type_, name, index, after, unknown, module_address=None):
    c = {"address": address}
    if module_address:
        c["module_address"] = module_address
    c.update({"mode": "managed", "type": type_, "name": name})
    if index is not None:
        c["index"] = index
    c.update({"provider_name": AWS, "change": {
        "actions": ["create"], "before": None, "after": after, "after_unknown": unknown,
        "before_sensitive": False, "after_sensitive": {}}})
    return c


def config(type_, name, expressions, count=None):
    r = {"address": f"{type_}.{name}", "mode": "managed", "type": type_, "name": name,
         "provider_config_key": "aws", "expressions": expressions, "schema_version": 0}
    if count is not None:
        r["count_expression"] = {"constant_value": count}
    return r


def by_index(block):
    return {"references": [block, "count.index"]}


def count_index(n):
    changes = [
        change("aws_vpc.main", "aws_vpc", "main", None, {"cidr_block": "10.0.0.0/16"},
               {"arn": True, "id": True, "default_route_table_id": True, "main_route_table_id": True}),
        change("aws_internet_gateway.main", "aws_internet_gateway", "main", None, {},
               {"arn": True, "id": True, "vpc_id": True}),
        change("aws_nat_gateway.main", "aws_nat_gateway", "main", None, {"connectivity_type": "public"},
               {"id": True, "subnet_id": True}),
    ]
    for i in range(n):
        pub = i == 1
        changes += [
            change(f"aws_subnet.s[{i}]", "aws_subnet", "s", i, {"map_public_ip_on_launch": False},
                   {"arn": True, "id": True, "vpc_id": True}),
            change(f"aws_route_table.s[{i}]", "aws_route_table", "s", i, {},
                   {"arn": True, "id": True, "route": True, "vpc_id": True}),
            change(f"aws_route.s[{i}]", "aws_route", "s", i,
                   {"destination_cidr_block": "0.0.0.0/0", ("nat_gateway_id" if pub else "gateway_id"): None},
                   {"id": True, ("gateway_id" if pub else "nat_gateway_id"): True, "route_table_id": True}),
            change(f"aws_route_table_association.s[{i}]", "aws_route_table_association", "s", i,
                   {"gateway_id": None}, {"id": True, "route_table_id": True, "subnet_id": True}),
            change(f"aws_instance.app[{i}]", "aws_instance", "app", i,
                   {"ami": "ami-0abcdef1234567890", "instance_type": "t3.micro", "launch_template": [],
                    "network_interface": []}, {"arn": True, "id": True, "subnet_id": True}),
            change(f"aws_ecs_service.app[{i}]", "aws_ecs_service", "app", i,
                   {"name": f"app-{i}", "launch_type": "FARGATE",
                    "network_configuration": [{"assign_public_ip": False, "security_groups": []}]},
                   {"arn": True, "id": True, "network_configuration": [{"subnets": True}]}),
        ]
    vpc = {"references": ["aws_vpc.main.id", "aws_vpc.main"]}
    resources = [
        config("aws_vpc", "main", {"cidr_block": {"constant_value": "10.0.0.0/16"}}),
        config("aws_internet_gateway", "main", {"vpc_id": vpc}),
        config("aws_nat_gateway", "main", {}),
        config("aws_subnet", "s", {"vpc_id": vpc}, n),
        config("aws_route_table", "s", {"vpc_id": vpc}, n),
        config("aws_route", "s", {
            "destination_cidr_block": {"constant_value": "0.0.0.0/0"},
            "gateway_id": {"references": ["count.index", "aws_internet_gateway.main.id", "aws_internet_gateway.main"]},
            "nat_gateway_id": {"references": ["count.index", "aws_nat_gateway.main.id", "aws_nat_gateway.main"]},
            "route_table_id": by_index("aws_route_table.s")}, n),
        config("aws_route_table_association", "s", {
            "route_table_id": by_index("aws_route_table.s"), "subnet_id": by_index("aws_subnet.s")}, n),
        config("aws_instance", "app", {
            "ami": {"constant_value": "ami-0abcdef1234567890"},
            "instance_type": {"constant_value": "t3.micro"}, "subnet_id": by_index("aws_subnet.s")}, n),
        config("aws_ecs_service", "app", {"name": {"references": ["count.index"]}, "network_configuration": [{
            "assign_public_ip": {"constant_value": False}, "subnets": by_index("aws_subnet.s")}]}, n),
    ]
    return changes, {"resources": resources}


def diamond(n, depth):
    waf_module = ".".join(f"module.l{d}" for d in range(1, depth + 1))
    changes = [change(f"{waf_module}.aws_wafv2_web_acl.x", "aws_wafv2_web_acl", "x", None,
                      {"scope": "CLOUDFRONT"}, {"arn": True, "id": True}, waf_module)]
    for i in range(n):
        changes.append(change(f"aws_cloudfront_distribution.d[{i}]", "aws_cloudfront_distribution", "d", i,
                              {"enabled": True}, {"arn": True, "id": True, "web_acl_id": True}))
    acl = {"expression": {"references": ["aws_wafv2_web_acl.x.arn", "aws_wafv2_web_acl.x"]}}
    module = {"resources": [config("aws_wafv2_web_acl", "x", {"scope": {"constant_value": "CLOUDFRONT"}})],
              "outputs": {"a": acl, "b": acl}}
    for d in range(depth, 1, -1):
        nxt = f"module.l{d}"
        both = {"expression": {"references": [f"{nxt}.a", nxt, f"{nxt}.b", nxt]}}
        module = {"outputs": {"a": both, "b": both},
                  "module_calls": {f"l{d}": {"source": "./l", "module": module}}}
    root = {"resources": [config("aws_cloudfront_distribution", "d", {
        "enabled": {"constant_value": True},
        "web_acl_id": {"references": ["module.l1.a", "module.l1"]}}, n)],
        "module_calls": {"l1": {"source": "./l", "module": module}}}
    return changes, root


def waivers(n, reference):
    addresses = [r["address"] for r in json.load(open(reference))["resource_changes"]]
    out = []
    for i in range(n):
        address = f"module.gone{i}.*" if i % 10 == 0 else addresses[i % len(addresses)]
        out.append(f"[[waiver]]\nrule = \"{'HP-NET-001' if i % 2 else 'HP-NET-003'}\"\naddress = {json.dumps(address)}\n"
                   f"reason = \"bench\"\napproved-by = \"bench\"\nexpires = 2027-06-30\n")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shape", required=True, choices=["count-index", "diamond", "waivers"])
    ap.add_argument("--n", type=int, default=1000, help="how many of the repeated part (default 1000)")
    ap.add_argument("--depth", type=int, default=12, help="diamond: nested modules (default 12)")
    ap.add_argument("--reference", help="waivers: the plan whose addresses they name")
    ap.add_argument("--out", default="-", help="output file (default stdout)")
    a = ap.parse_args()
    out = sys.stdout if a.out == "-" else open(a.out, "w")
    if a.shape == "waivers":
        if not a.reference:
            ap.error("--shape waivers needs --reference PLAN")
        out.write(waivers(a.n, a.reference))
        return
    if a.shape == "count-index":
        changes, root = count_index(a.n)
    else:
        changes, root = diamond(a.n, a.depth)
    doc = {"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": changes,
           "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": AWS, "expressions": {
               "region": {"constant_value": "us-east-1"}}}}, "root_module": root}}
    json.dump(doc, out, separators=(",", ":"))
    out.write("\n")


if __name__ == "__main__":
    main()
