"""The legacy estate of `gen_plan.py --kind findings`: the reference platform misconfigured.

Every resource of a type in LEGACY gets that type's misconfigurations, in every stack: open
security groups, AWS-managed keys instead of customer-managed ones, deletion protection, key
rotation and logging off, private subnets routed to the internet gateway, weak TLS policies,
secrets and mutable tags in container definitions, and so on, so that most resources break one
to four rules of the bundled pack.

A misconfiguration is written once per resource of the template (the reference plan) and in
Terraform's exact shape, wherever the plan says it:

- `resource_changes[].change.after` and the planned_values mirror get the value;
- `after_unknown` loses the attribute's flag when the value becomes known (a value is either in
  `after` or true in `after_unknown`, never both) and gets it when it becomes known only after
  apply; `after_sensitive` takes the new value's shape;
- the configuration's expression for the argument follows: a constant for a literal, removed for
  an argument left out, references for a value known only after apply.

Some misconfigurations leave a value unknown on purpose (a master password from a local, a log
group the plan does not manage), so the plan has undecided findings too.
"""

import copy
import json
import re

SEP = (",", ":")
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
WILDCARD_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "Legacy", "Effect": "Allow", "Action": "*", "Resource": "*"}]}, separators=SEP)
PUBLIC_KEY_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}, separators=SEP)
LOG_DELIVERY_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "LogDelivery", "Effect": "Allow", "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "*"}]}, separators=SEP)
OPEN_INGRESS = [{"cidr_blocks": ["0.0.0.0/0"], "description": "legacy: everything from anywhere", "from_port": 0,
                 "ipv6_cidr_blocks": ["::/0"], "prefix_list_ids": [], "protocol": "-1", "security_groups": [],
                 "self": False, "to_port": 0}]


def shape(value):
    """The `after_unknown` (or `after_sensitive`) shape of a known value, as Terraform writes it:
    false for a primitive, left out of objects; lists keep one entry per element."""
    if isinstance(value, dict):
        return {k: s for k, s in ((k, shape(v)) for k, v in value.items()) if s is not False}
    if isinstance(value, list):
        return [shape(v) for v in value]
    return False


def block_form(value):
    """A configuration expression for a list of nested blocks, from their values."""
    out = []
    for item in value:
        exprs = {}
        for k, v in item.items():
            if v is None or v == [] or v == {}:
                continue
            if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
                exprs[k] = block_form(v)
            else:
                exprs[k] = {"constant_value": v}
        out.append(exprs)
    return out


class Edit:
    """The misconfigurations of one resource, recorded as operations on paths (tuples of
    attribute names and list indexes), applied to its change, its planned value and its
    configuration block."""

    def __init__(self, rc, expressions):
        self.after = rc["change"].get("after") or {}
        self.expressions = expressions or {}
        self.ops = []

    def get(self, *path):
        v = self.after
        for p in path:
            try:
                v = v[p]
            except (KeyError, IndexError, TypeError):
                return None
        return v

    def set(self, *path, value, keep_expression=False):
        """A known value; a constant in the configuration unless keep_expression (a value that
        the configuration computes from other known values, `jsonencode(...)`)."""
        self.ops.append(("set", path, value, keep_expression))

    def unset(self, *path):
        """An argument left out of the configuration whose value is then null."""
        self.ops.append(("unset", path, None, False))

    def computed(self, *path):
        """An argument left out of the configuration whose value AWS picks at apply."""
        self.ops.append(("computed", path, None, False))

    def refer(self, *path, refs):
        """A value known only after apply, from these references."""
        self.ops.append(("refer", path, refs, False))

    # --- applying ----------------------------------------------------------------------------
    def apply_values(self, values):
        """Applies the operations to `after` or to a planned value's `values`."""
        for op, path, value, _ in self.ops:
            parent = _walk(values, path[:-1], create=True)
            if parent is None:
                continue
            last = path[-1]
            if op == "set":
                _put(parent, last, copy.deepcopy(value))
            elif op == "unset":
                _put(parent, last, None)
            elif isinstance(parent, dict):
                parent.pop(last, None)

    def apply_marks(self, marks, sensitive):
        """Applies the operations to `after_unknown` (sensitive False) or `after_sensitive`."""
        if not isinstance(marks, dict):
            return
        for op, path, value, _ in self.ops:
            parent = _walk(marks, path[:-1], create=False)
            if parent is None or parent is True:
                continue
            last = path[-1]
            if op in ("set", "unset"):
                s = shape(value)
                if isinstance(parent, dict):
                    if s is False:
                        parent.pop(last, None)
                    else:
                        parent[last] = s
                elif isinstance(parent, list) and last < len(parent):
                    parent[last] = s
            elif not sensitive and isinstance(parent, dict):
                parent[last] = True
            elif sensitive and isinstance(parent, dict):
                parent.pop(last, None)

    def apply_expressions(self, exprs):
        """Applies the operations to the configuration block's `expressions`."""
        for op, path, value, keep in self.ops:
            if keep:
                continue
            parent = exprs
            for p in path[:-1]:
                nxt = parent[p] if _has(parent, p) else None
                if nxt is None:
                    if op != "set":
                        parent = None
                        break
                    nxt = [] if isinstance(p, str) else {}
                    if isinstance(p, str):
                        parent[p] = nxt
                    else:
                        while len(parent) <= p:
                            parent.append({})
                        nxt = parent[p]
                parent = nxt
            if parent is None:
                continue
            last = path[-1]
            if op == "set":
                old = parent[last] if _has(parent, last) else None
                if isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
                    new = block_form(value)  # nested blocks
                elif value is None or (value == [] and isinstance(old, list)):
                    new = None  # no such block
                else:
                    new = {"constant_value": value}
                if new is None:
                    _drop(parent, last)
                else:
                    _put(parent, last, new)
            elif op in ("unset", "computed"):
                _drop(parent, last)
            else:
                _put(parent, last, {"references": list(value)})


def sorted_json(value):
    """The value with every object's keys sorted, as Terraform writes them."""
    if isinstance(value, dict):
        return {k: sorted_json(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [sorted_json(v) for v in value]
    return value


def _resort(obj, key):
    if isinstance(obj, dict) and isinstance(obj.get(key), dict):
        obj[key] = sorted_json(obj[key])


def _has(container, key):
    if isinstance(container, dict):
        return key in container
    return isinstance(container, list) and isinstance(key, int) and key < len(container)


def _put(container, key, value):
    if isinstance(container, dict):
        container[key] = value
    elif isinstance(container, list) and isinstance(key, int):
        while len(container) <= key:
            container.append({})
        container[key] = value


def _drop(container, key):
    if isinstance(container, dict):
        container.pop(key, None)


def _walk(root, path, create):
    node = root
    for i, p in enumerate(path):
        if _has(node, p) and node[p] is not None:
            node = node[p]
        elif create and isinstance(node, dict):
            node[p] = [] if isinstance(path[i + 1] if i + 1 < len(path) else None, int) else {}
            node = node[p]
        elif create and isinstance(node, list) and isinstance(p, int):
            _put(node, p, {})
            node = node[p]
        else:
            return None
    return node


# --- the misconfigurations, per resource type -----------------------------------------------
# Each takes an Edit of one resource and breaks what rules of the bundled pack check there.

def _iam_role(e):
    e.set("managed_policy_arns", value=[ADMIN])


def _iam_role_policy(e):
    e.set("policy", value=WILDCARD_POLICY)


def _iam_role_policy_attachment(e):
    e.set("policy_arn", value=ADMIN)


def _log_group(e):
    e.unset("kms_key_id")
    e.set("retention_in_days", value=1)


def _ingress_rule(e):
    for k in ("referenced_security_group_id", "prefix_list_id", "cidr_ipv6"):
        if k in e.expressions or e.get(k) is not None:
            e.unset(k)
    e.set("cidr_ipv4", value="0.0.0.0/0")
    e.set("ip_protocol", value="tcp")
    e.set("from_port", value=22)
    e.set("to_port", value=22)
    e.set("description", value="legacy: ssh from anywhere")


def _security_group(e):
    e.set("ingress", value=OPEN_INGRESS)


def _subnet(e):
    e.set("map_public_ip_on_launch", value=True)


def _route(e):
    # Every default route straight to the internet gateway: the private subnets become public.
    if "nat_gateway_id" in e.expressions:
        e.unset("nat_gateway_id")
        e.refer("gateway_id", refs=["aws_internet_gateway.this.id", "aws_internet_gateway.this"])


def _lb(e):
    e.set("internal", value=False)
    e.set("drop_invalid_header_fields", value=False)
    e.set("enable_deletion_protection", value=False)
    if e.get("access_logs", 0) is not None:
        e.set("access_logs", 0, "enabled", value=False)


def _lb_listener(e):
    if e.get("protocol") == "HTTP":
        action = copy.deepcopy(e.get("default_action", 0))
        action.update(type="fixed-response", redirect=[], forward=[], fixed_response=[
            {"content_type": "text/plain", "message_body": "ok", "status_code": "200"}])
        e.set("default_action", value=[action])
    else:
        e.set("ssl_policy", value="ELBSecurityPolicy-2016-08")


def _ecs_service(e):
    e.set("enable_execute_command", value=True)
    e.set("launch_type", value="EC2")
    e.unset("platform_version")
    if (e.get("deployment_controller", 0, "type") or "ECS") == "ECS":
        e.set("deployment_circuit_breaker", value=[{"enable": False, "rollback": False}])
        e.set("alarms", value=[{"alarm_names": ["legacy-alarm"], "enable": False, "rollback": False}])


def _container(c):
    c["privileged"] = True
    c["readonlyRootFilesystem"] = False
    c["user"] = "root"
    if "@sha256:" in c.get("image", ""):
        c["image"] = c["image"].split("@sha256:")[0] + ":latest"
    c.setdefault("environment", []).append({"name": "DB_PASSWORD", "value": "hunter2-legacy"})
    opts = (c.get("logConfiguration") or {}).get("options") or {}
    if "awslogs-group" in opts:
        # A log group made by hand, not in the plan: undecided.
        opts["awslogs-group"] = "/legacy/" + c.get("name", "app")


def _task_definition(e):
    defs = json.loads(e.get("container_definitions"))
    for c in defs:
        _container(c)
    e.set("container_definitions", value=json.dumps(defs, separators=SEP), keep_expression=True)


def _ecr_repository(e):
    e.set("image_tag_mutability", value="MUTABLE")
    e.set("image_scanning_configuration", 0, "scan_on_push", value=False)


def _rds_cluster(e):
    e.set("deletion_protection", value=False)
    e.set("backup_retention_period", value=1)
    e.set("storage_encrypted", value=False)
    e.computed("kms_key_id")
    # The master password from a local: known only after apply, from nothing the plan shows.
    e.unset("master_password_wo")
    e.unset("master_password_wo_version")
    e.refer("master_password", refs=["local.master_password"])


def _rds_cluster_instance(e):
    e.set("publicly_accessible", value=True)


def _kms_key(e):
    e.set("enable_key_rotation", value=False)
    e.unset("rotation_period_in_days")
    e.set("policy", value=PUBLIC_KEY_POLICY)


def _secret(e):
    e.unset("kms_key_id")


def _secret_rotation(e):
    e.set("rotation_rules", 0, "automatically_after_days", value=365)


def _backup_vault(e):
    e.computed("kms_key_arn")


def _vault_lock(e):
    e.set("min_retention_days", value=1)
    e.set("changeable_for_days", value=3)


def _backup_plan(e):
    e.set("rule", 0, "lifecycle", 0, "delete_after", value=7)
    e.set("rule", 0, "copy_action", value=[])


def _sns_topic(e):
    e.unset("kms_master_key_id")


def _flow_log(e):
    e.set("traffic_type", value="ACCEPT")


def _deployment_group(e):
    e.set("deployment_config_name", value="CodeDeployDefault.ECSAllAtOnce")
    e.set("auto_rollback_configuration", value=[{"enabled": False, "events": []}])
    e.set("alarm_configuration", 0, "enabled", value=False)


def _fis_template(e):
    e.set("stop_condition", value=[{"source": "none", "value": None}])


def _ws_stage(e):
    e.set("default_route_settings", 0, "logging_level", value="OFF")
    e.set("default_route_settings", 0, "throttling_burst_limit", value=0)
    e.set("default_route_settings", 0, "throttling_rate_limit", value=0)


def _ws_route(e):
    e.set("authorization_type", value="NONE")
    e.unset("authorizer_id")


def _lambda(e):
    e.set("timeout", value=900)
    e.set("reserved_concurrent_executions", value=-1)
    if e.get("tracing_config", 0) is not None:
        e.set("tracing_config", 0, "mode", value="PassThrough")


def _health_check(e):
    if e.get("type") in ("HTTPS", "HTTPS_STR_MATCH", "HTTP", "HTTP_STR_MATCH", "TCP"):
        e.set("type", value="HTTP")
        e.set("port", value=80)
        e.unset("enable_sni")
        e.set("failure_threshold", value=10)


def _metric_alarm(e):
    e.set("actions_enabled", value=False)


def _guardduty(e):
    e.set("enable", value=False)


def _config_recorder(e):
    if e.get("recording_group", 0) is not None:
        e.set("recording_group", 0, "all_supported", value=False)


def _public_access_block(e):
    for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"):
        e.set(k, value=False)


def _bucket_policy(e):
    # Log delivery may write; nothing denies plain HTTP.
    e.set("policy", value=LOG_DELIVERY_POLICY)


def _backup_selection(e):
    # Selects a cluster of another, older stack by its ARN: none of the plan's databases.
    e.set("resources", value=["arn:aws:rds:us-east-1:123456789012:cluster:legacy-reporting"])


LEGACY = {
    "aws_iam_role": _iam_role,
    "aws_iam_role_policy": _iam_role_policy,
    "aws_iam_role_policy_attachment": _iam_role_policy_attachment,
    "aws_cloudwatch_log_group": _log_group,
    "aws_vpc_security_group_ingress_rule": _ingress_rule,
    "aws_security_group": _security_group,
    "aws_default_security_group": _security_group,
    "aws_subnet": _subnet,
    "aws_route": _route,
    "aws_lb": _lb,
    "aws_lb_listener": _lb_listener,
    "aws_ecs_service": _ecs_service,
    "aws_ecs_task_definition": _task_definition,
    "aws_ecr_repository": _ecr_repository,
    "aws_rds_cluster": _rds_cluster,
    "aws_rds_cluster_instance": _rds_cluster_instance,
    "aws_kms_key": _kms_key,
    "aws_secretsmanager_secret": _secret,
    "aws_secretsmanager_secret_rotation": _secret_rotation,
    "aws_backup_vault": _backup_vault,
    "aws_backup_vault_lock_configuration": _vault_lock,
    "aws_backup_plan": _backup_plan,
    "aws_sns_topic": _sns_topic,
    "aws_flow_log": _flow_log,
    "aws_codedeploy_deployment_group": _deployment_group,
    "aws_fis_experiment_template": _fis_template,
    "aws_apigatewayv2_stage": _ws_stage,
    "aws_apigatewayv2_route": _ws_route,
    "aws_lambda_function": _lambda,
    "aws_route53_health_check": _health_check,
    "aws_cloudwatch_metric_alarm": _metric_alarm,
    "aws_guardduty_detector": _guardduty,
    "aws_config_configuration_recorder": _config_recorder,
    "aws_s3_bucket_public_access_block": _public_access_block,
    "aws_s3_bucket_policy": _bucket_policy,
    "aws_backup_selection": _backup_selection,
}


# --- applying it to the template --------------------------------------------------------------
_INDEX = re.compile(r'\[[^\]]*\]')


def config_block(module, suffix):
    """The configuration block (with `expressions`) of a resource address inside a module's
    configuration, `module.websocket.module.function["x"].aws_lambda_function.this[0]`."""
    parts = _INDEX.sub("", suffix).split(".")
    while parts and parts[0] == "module":
        call = module.get("module_calls", {}).get(parts[1])
        if call is None:
            return None
        module = call["module"]
        parts = parts[2:]
    address = ".".join(parts)
    for r in module.get("resources", []):
        if r["address"] == address:
            return r
    return None


def planned_index(module, out):
    for r in module.get("resources", []):
        out[r["address"]] = r
    for c in module.get("child_modules", []):
        planned_index(c, out)
    return out


def misconfigure(template):
    """Applies LEGACY to every managed resource of the template's regional stacks (in place):
    their changes, planned values and configuration. Returns how many resources changed."""
    calls = template.plan["configuration"]["root_module"]["module_calls"]["regions"]["module"]["module_calls"]
    changed = 0
    for role, items in template.rc.items():
        module = calls[role]["module"]
        planned = planned_index(template.pv[role], {})
        done_config = set()
        for suffix, rc in items:
            fn = LEGACY.get(rc.get("type"))
            if fn is None or rc.get("mode") != "managed" or rc["change"].get("after") is None:
                continue
            block = config_block(module, suffix)
            e = Edit(rc, copy.deepcopy(block.get("expressions")) if block else {})
            fn(e)
            if not e.ops:
                continue
            changed += 1
            change = rc["change"]
            e.apply_values(change["after"])
            e.apply_marks(change.get("after_unknown"), False)
            e.apply_marks(change.get("after_sensitive"), True)
            for k in ("after", "after_unknown", "after_sensitive"):
                _resort(change, k)
            pv = planned.get(rc["address"])
            if pv is not None and "values" in pv:
                e.apply_values(pv["values"])
                e.apply_marks(pv.get("sensitive_values"), True)
                for k in ("values", "sensitive_values"):
                    _resort(pv, k)
            # Instances of one block (count, for_each) share its configuration: edit it once.
            if block is not None and id(block) not in done_config:
                done_config.add(id(block))
                e.apply_expressions(block.setdefault("expressions", {}))
                _resort(block, "expressions")
    return changed
