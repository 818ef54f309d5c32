"""The variants of the reference platform: each one realistic mistake, made by a
small patch of the HCL in the temporary copy (and, for a replacement, which
cannot be planned without prior state, an edit of the plan JSON), planned with
real Terraform by generate.py.

`expected` is the exact set of findings the variant must produce, decided from
the rules' semantics (rules/*/**), not from tfwarden's output;
generate.py writes it to the variant's expected.json.
"""

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

PRIMARY = "module.regions.module.primary"
SECONDARY = "module.regions.module.secondary"
BOTH = (PRIMARY, SECONDARY)


@dataclass
class Edit:
    path: str  # relative to reference-terraform/
    old: str
    new: str
    occurrences: int = 1  # how often `old` must occur in the file
    index: int = 0  # which occurrence is replaced


@dataclass
class Variant:
    name: str
    readme: str
    edits: list
    expected: list  # (rule, address)
    json_edit: Optional[Callable] = None

    def patch_hcl(self, root: Path) -> None:
        for e in self.edits:
            f = root / e.path
            text = f.read_text()
            n = text.count(e.old)
            if n != e.occurrences:
                raise RuntimeError(f"variant {self.name}: {e.path}: expected the patched text "
                                   f"{e.occurrences} time(s), found {n}")
            at = -1
            for _ in range(e.index + 1):
                at = text.index(e.old, at + 1)
            f.write_text(text[:at] + e.new + text[at + len(e.old):])


    def expected_findings(self) -> list:
        rows = [{"rule": r, "address": a, "undecided": False} for r, a in self.expected]
        return sorted(rows, key=lambda x: (x["address"], x["rule"]))


def both(rule: str, suffix: str) -> list:
    return [(rule, f"{m}.{suffix}") for m in BOTH]


# ---------------------------------------------------------------------------
# The Aurora replacement. Terraform plans a replace only against prior state,
# which an offline plan cannot have, so the plan's entry for the primary
# cluster is edited into the replacement Terraform would plan after the key of
# an existing cluster changed: actions ["delete", "create"], action_reason,
# replace_paths, `before` = the deployed values (those of state.json, with the
# old key) and the deployed instance in prior_state.
# ---------------------------------------------------------------------------
AURORA_PRIMARY = f"{PRIMARY}.module.aurora.aws_rds_cluster.this"
OLD_KEY = "arn:aws:kms:us-east-1:123456789012:key/0f0c0b6e-8d1f-4c1a-9a43-5b9e6f7a2c10"


def _replace_aurora(plan: dict, state: dict) -> None:
    import plan_to_state

    deployed = None
    for res in plan_to_state.iter_resources(state["values"]["root_module"]):
        if res["address"] == AURORA_PRIMARY:
            deployed = copy.deepcopy(res)
    if deployed is None:
        raise RuntimeError(f"{AURORA_PRIMARY} is not in the plan")
    deployed["values"]["kms_key_id"] = OLD_KEY

    for rc in plan["resource_changes"]:
        if rc["address"] == AURORA_PRIMARY:
            rc["action_reason"] = "replace_because_cannot_update"
            rc["change"]["actions"] = ["delete", "create"]
            rc["change"]["before"] = deployed["values"]
            rc["change"]["before_sensitive"] = deployed["sensitive_values"]
            rc["change"]["replace_paths"] = [["kms_key_id"]]
            # Keys are ordered as Terraform writes them.
            ordered = {k: rc[k] for k in ("address", "module_address", "mode", "type", "name", "provider_name",
                                          "change", "action_reason") if k in rc}
            rc.clear()
            rc.update(ordered)

    # prior_state holds the deployed cluster, in its module, as Terraform writes it.
    prior = plan.setdefault("prior_state", {"format_version": "1.0", "terraform_version": plan["terraform_version"],
                                            "values": {"root_module": {}}})
    module = prior["values"]["root_module"]
    path = ["module.regions", PRIMARY, f"{PRIMARY}.module.aurora"]
    for addr in path:
        children = module.setdefault("child_modules", [])
        nxt = next((c for c in children if c["address"] == addr), None)
        if nxt is None:
            nxt = {"resources": [], "address": addr}
            children.append(nxt)
            children.sort(key=lambda c: c["address"])
        module = nxt
    module.setdefault("resources", []).append(deployed)
    module["resources"].sort(key=lambda r: r["address"])


# ---------------------------------------------------------------------------
# Issue 14, batch A: an in-place update of deployed resources. Offline, every
# resource is a create; the plan's entries for `addresses` become the update
# Terraform would plan against the deployed state: actions ["update"],
# `before` = the deployed values (state.json), the computed attributes known
# from them, and the deployed instances in prior_state.
# ---------------------------------------------------------------------------
def _update_in_place(addresses: list) -> Callable:
    def edit(plan: dict, state: dict) -> None:
        import plan_to_state

        deployed = {}
        for res in plan_to_state.iter_resources(state["values"]["root_module"]):
            if res["address"] in addresses:
                deployed[res["address"]] = copy.deepcopy(res)
        missing = set(addresses) - set(deployed)
        if missing:
            raise RuntimeError(f"{sorted(missing)} not in the state")

        for rc in plan["resource_changes"]:
            res = deployed.get(rc["address"])
            if res is None:
                continue
            change = rc["change"]
            change["actions"] = ["update"]
            change["before"] = res["values"]
            change["before_sensitive"] = res["sensitive_values"]
            for key, unknown in list(change["after_unknown"].items()):
                if unknown is True and key in res["values"]:
                    change["after"][key] = res["values"][key]
                    del change["after_unknown"][key]

        prior = plan.setdefault("prior_state", {"format_version": "1.0", "terraform_version": plan["terraform_version"],
                                                "values": {"root_module": {}}})
        for address, res in deployed.items():
            module = prior["values"]["root_module"]
            parts = address.split(".")
            path, prefix = [], []
            for i in range(0, len(parts) - 2, 2):
                if parts[i] != "module":
                    break
                prefix += parts[i:i + 2]
                path.append(".".join(prefix))
            for addr in path:
                children = module.setdefault("child_modules", [])
                nxt = next((c for c in children if c["address"] == addr), None)
                if nxt is None:
                    nxt = {"resources": [], "address": addr}
                    children.append(nxt)
                    children.sort(key=lambda c: c["address"])
                module = nxt
            module.setdefault("resources", []).append(res)
            module["resources"].sort(key=lambda r: r["address"])
    return edit


KMS_KEYS = [f"{m}.module.kms.aws_kms_key.this" for m in ("module.global",) + BOTH]


VARIANTS = [
    Variant(
        name="cloudfront-without-waf",
        readme="The CloudFront distribution has no `web_acl_id`: the WAF web ACL exists but protects nothing.",
        edits=[Edit("global/cloudfront.tf", "  web_acl_id          = aws_wafv2_web_acl.edge.arn\n", "")],
        expected=[("HP-EDGE-001", "module.global.aws_cloudfront_distribution.main")],
    ),
    Variant(
        name="waf-regional-scope",
        readme="The web ACL attached to the distribution has scope `REGIONAL` instead of `CLOUDFRONT`.",
        edits=[Edit("global/waf.tf", 'scope       = "CLOUDFRONT"', 'scope       = "REGIONAL"')],
        expected=[("HP-EDGE-001", "module.global.aws_cloudfront_distribution.main")],
    ),
    Variant(
        name="cloudfront-allows-http",
        readme="The `/api/*` cache behavior accepts plain HTTP from viewers (`viewer_protocol_policy = \"allow-all\"`).",
        edits=[Edit("global/cloudfront.tf",
                    '    path_pattern               = "/api/*"\n    target_origin_id           = "primary"\n'
                    '    viewer_protocol_policy     = "redirect-to-https"\n',
                    '    path_pattern               = "/api/*"\n    target_origin_id           = "primary"\n'
                    '    viewer_protocol_policy     = "allow-all"\n')],
        expected=[("HP-EDGE-002", "module.global.aws_cloudfront_distribution.main")],
    ),
    Variant(
        name="subnet-maps-public-ip",
        readme="The public subnets of the network module assign public IPs on launch (both regions).",
        edits=[Edit("modules/network/main.tf",
                    "  cidr_block              = cidrsubnet(var.vpc_cidr, 8, 240 + count.index)\n"
                    "  map_public_ip_on_launch = false\n",
                    "  cidr_block              = cidrsubnet(var.vpc_cidr, 8, 240 + count.index)\n"
                    "  map_public_ip_on_launch = true\n")],
        expected=[("HP-NET-001", f"{m}.module.network.aws_subnet.public[{i}]") for m in BOTH for i in range(3)],
    ),
    Variant(
        name="ecs-service-in-public-subnet",
        readme="The regional stack hands the ECS services the public subnets instead of the private ones (both regions).",
        edits=[Edit("modules/regional-stack/main.tf",
                    "  vpc_cidr                       = module.network.vpc_cidr\n"
                    "  private_subnet_ids             = module.network.private_subnet_ids\n",
                    "  vpc_cidr                       = module.network.vpc_cidr\n"
                    "  private_subnet_ids             = module.network.public_subnet_ids\n")],
        expected=both("HP-NET-002", "module.ecs.aws_ecs_service.api") + both("HP-NET-002", "module.ecs.aws_ecs_service.worker"),
    ),
    Variant(
        name="security-group-ssh-open",
        readme="An inline ingress rule opens SSH (22/tcp) to 0.0.0.0/0 on the API tasks' security group (both regions).",
        edits=[Edit("modules/ecs-service/main.tf",
                    '  description = "API tasks: traffic from the public ALB only"\n  vpc_id      = var.vpc_id\n',
                    '  description = "API tasks: traffic from the public ALB only"\n  vpc_id      = var.vpc_id\n\n'
                    '  ingress {\n    description = "SSH for debugging"\n    protocol    = "tcp"\n'
                    '    from_port   = 22\n    to_port     = 22\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n')],
        expected=both("HP-NET-003", "module.ecs.aws_security_group.api"),
    ),
    Variant(
        name="http-listener-forwards",
        readme="The public ALB's port-80 listener forwards to the blue target group instead of redirecting to HTTPS (both regions).",
        edits=[Edit("modules/alb-public/main.tf",
                    '  default_action {\n    type = "redirect"\n\n    redirect {\n      protocol    = "HTTPS"\n'
                    '      port        = "443"\n      status_code = "HTTP_301"\n    }\n  }\n',
                    '  default_action {\n    type             = "forward"\n'
                    '    target_group_arn = aws_lb_target_group.blue.arn\n  }\n')],
        expected=both("HP-LB-001", "module.alb_public.aws_lb_listener.http"),
    ),
    Variant(
        name="alb-weak-tls-policy",
        readme="The public ALB's HTTPS listener hard-codes `ELBSecurityPolicy-2016-08`, which allows TLS 1.0 (both regions).",
        edits=[Edit("modules/alb-public/main.tf", "  ssl_policy        = var.ssl_policy\n",
                    '  ssl_policy        = "ELBSecurityPolicy-2016-08"\n')],
        expected=both("HP-LB-002", "module.alb_public.aws_lb_listener.https"),
    ),
    Variant(
        name="alb-without-shield",
        readme="The Shield Advanced protection of the public ALB (and its health check association) was removed from the alb-public module (both regions).",
        edits=[
            Edit("modules/alb-public/main.tf",
                 'resource "aws_shield_protection" "this" {\n  name         = "${var.name}-public-alb"\n'
                 '  resource_arn = aws_lb.this.arn\n\n  tags = local.tags\n}\n', ""),
            Edit("modules/alb-public/outputs.tf", "  value       = aws_shield_protection.this.id\n",
                 "  value       = null\n"),
            Edit("modules/alb-public/main.tf",
                 'resource "aws_shield_protection_health_check_association" "this" {\n'
                 "  shield_protection_id = aws_shield_protection.this.id\n"
                 "  health_check_arn     = aws_route53_health_check.shield.arn\n}\n", ""),
        ],
        expected=both("HP-EDGE-005", "module.alb_public.aws_lb.this"),
    ),
    Variant(
        name="backup-copy-same-region",
        readme="The primary region's backup plan copies into the primary region's own vault (`module.primary.backup_vault_arn`).",
        edits=[Edit("regions/main.tf",
                    "  # Backups of the primary region are copied to the secondary region's vault.\n"
                    "  copy_destination_vault_arn = module.secondary.backup_vault_arn\n",
                    "  # Backups of the primary region are copied to the secondary region's vault.\n"
                    "  copy_destination_vault_arn = module.primary.backup_vault_arn\n")],
        expected=[("HP-BAK-002", f"{PRIMARY}.module.backup.aws_backup_plan.this")],
    ),
    Variant(
        name="backup-destination-vault-unencrypted",
        readme="The primary region's backups are copied to a new eu-west-1 vault that has no customer-managed key (and no vault lock).",
        edits=[Edit("regions/main.tf",
                    "  # Backups of the primary region are copied to the secondary region's vault.\n"
                    "  copy_destination_vault_arn = module.secondary.backup_vault_arn\n",
                    "  # Backups of the primary region are copied to the secondary region's vault.\n"
                    "  copy_destination_vault_arn = aws_backup_vault.dr_copies.arn\n"),
               Edit("regions/main.tf",
                    'module "secondary" {\n',
                    'resource "aws_backup_vault" "dr_copies" {\n  provider = aws.secondary\n\n'
                    '  name = "${var.name}-dr-copies"\n}\n\nmodule "secondary" {\n')],
        expected=[("HP-BAK-001", "module.regions.aws_backup_vault.dr_copies"),
                  ("HP-BAK-004", "module.regions.aws_backup_vault.dr_copies"),
                  ("HP-BAK-002", f"{PRIMARY}.module.backup.aws_backup_plan.this")],
    ),
    Variant(
        name="failover-record-without-health-check",
        readme="The SECONDARY failover record `origin_secondary` has no `health_check_id`.",
        edits=[Edit("global/dns.tf",
                    "  set_identifier  = var.secondary_region\n  health_check_id = aws_route53_health_check.secondary.id\n\n"
                    "  failover_routing_policy {",
                    "  set_identifier  = var.secondary_region\n\n  failover_routing_policy {")],
        expected=[("HP-DNS-001", "module.global.aws_route53_record.origin_secondary")],
    ),
    Variant(
        name="failover-primary-without-secondary",
        readme="The SECONDARY failover record `origin_secondary` was deleted: `origin.` has a PRIMARY only.",
        edits=[Edit("global/dns.tf",
                    'resource "aws_route53_record" "origin_secondary" {\n'
                    "  zone_id         = aws_route53_zone.public.zone_id\n"
                    '  name            = "origin.${var.domain_name}"\n'
                    '  type            = "CNAME"\n'
                    "  ttl             = 60\n"
                    "  records         = [local.secondary_origin]\n"
                    "  set_identifier  = var.secondary_region\n"
                    "  health_check_id = aws_route53_health_check.secondary.id\n\n"
                    "  failover_routing_policy {\n"
                    '    type = "SECONDARY"\n'
                    "  }\n}\n", "")],
        expected=[("HP-DNS-002", "module.global.aws_route53_record.origin_primary")],
    ),
    Variant(
        name="aurora-replaced",
        readme=("The primary Aurora cluster is replaced (its KMS key changed; `prevent_destroy` removed). "
                "The HCL patch removes `prevent_destroy`; the replacement itself is a scripted edit of the plan "
                "JSON (actions `[\"delete\", \"create\"]`, `action_reason`, `replace_paths`, `before` and "
                "prior_state from the deployed state), since an offline plan has no prior state to replace."),
        edits=[Edit("modules/aurora/main.tf",
                    "  lifecycle {\n    prevent_destroy = true\n    # Secondary members",
                    "  lifecycle {\n    # Secondary members")],
        expected=[("HP-CHG-001", AURORA_PRIMARY)],
        json_edit=_replace_aurora,
    ),
    Variant(
        name="aurora-single-region",
        readme="The eu-west-1 Aurora cluster is not a member of the global cluster: Aurora runs in one region only.",
        edits=[Edit("regions/main.tf",
                    "  # Joins the global cluster only after the primary cluster has instances.\n"
                    "  aurora_global_cluster_identifier = aws_rds_global_cluster.this.id\n",
                    "  # Joins the global cluster only after the primary cluster has instances.\n"
                    "  aurora_global_cluster_identifier = null\n")],
        expected=[("HP-DATA-005", "module.regions.aws_rds_global_cluster.this")],
    ),
    Variant(
        name="aurora-publicly-accessible",
        readme="The Aurora instances are publicly accessible (both regions, both instances).",
        edits=[Edit("modules/aurora/main.tf", "  publicly_accessible                   = false\n",
                    "  publicly_accessible                   = true\n")],
        expected=[("HP-DATA-001", f"{m}.module.aurora.aws_rds_cluster_instance.this[{i}]") for m in BOTH for i in range(2)],
    ),
    Variant(
        name="ecs-secret-in-environment",
        readme="A payments API key is passed to the API container as a plain `environment` variable (both regions).",
        # The api container's environment is the first of the two in the file.
        edits=[Edit("modules/ecs-service/main.tf",
                    '        { name = "DB_IAM_USER", value = var.db_iam_user },\n',
                    '        { name = "DB_IAM_USER", value = var.db_iam_user },\n'
                    '        { name = "PAYMENTS_API_KEY", value = "pk-offline-example-0f8e1c2d" },\n',
                    occurrences=2, index=0)],
        expected=both("HP-ECS-003", "module.ecs.aws_ecs_task_definition.api"),
    ),
    Variant(
        name="ecs-service-names-per-region",
        readme="The regional stack names the ECS application after the region (`app_name = local.name`), so no service runs under the same name in two regions.",
        edits=[Edit("modules/regional-stack/main.tf", "  app_name                       = var.name\n",
                    "  app_name                       = local.name\n")],
        expected=both("HP-DR-001", "module.ecs.aws_ecs_service.api") + both("HP-DR-001", "module.ecs.aws_ecs_service.worker"),
    ),
    Variant(
        name="kms-rotation-off",
        readme="The kms module disables automatic key rotation (all three keys).",
        edits=[Edit("modules/kms/main.tf",
                    "  enable_key_rotation      = true\n  rotation_period_in_days  = var.rotation_period_in_days\n",
                    "  enable_key_rotation      = false\n")],
        expected=[("HP-SEC-003", f"{m}.module.kms.aws_kms_key.this") for m in ("module.global",) + BOTH],
    ),
    Variant(
        name="fis-without-stop-condition",
        readme="The ECS task-stop FIS template has no alarm stop condition (`source = \"none\"`, both regions).",
        edits=[Edit("modules/chaos/main.tf",
                    "      service = var.ecs_service_name\n    }\n  }\n\n  stop_condition {\n"
                    '    source = "aws:cloudwatch:alarm"\n    value  = var.stop_alarm_arn\n  }\n',
                    "      service = var.ecs_service_name\n    }\n  }\n\n  stop_condition {\n"
                    '    source = "none"\n  }\n')],
        expected=both("HP-CHAOS-001", "module.chaos.aws_fis_experiment_template.ecs_task_stop"),
    ),
    Variant(
        name="dynamodb-without-pitr",
        readme="The DynamoDB global table has point-in-time recovery disabled.",
        edits=[Edit("modules/dynamodb/main.tf", "  point_in_time_recovery {\n    enabled = true\n  }\n",
                    "  point_in_time_recovery {\n    enabled = false\n  }\n")],
        expected=[("HP-DATA-006", "module.regions.module.dynamodb.aws_dynamodb_table.this")],
    ),
    Variant(
        name="dynamodb-replica-without-cmk",
        readme="The DynamoDB table's eu-west-1 replica sets no `kms_key_arn`, so it uses the AWS managed key.",
        edits=[Edit("modules/dynamodb/main.tf", "    kms_key_arn            = var.replica_kms_key_arn\n", "")],
        expected=[("HP-DATA-007", "module.regions.module.dynamodb.aws_dynamodb_table.this")],
    ),
    Variant(
        name="websocket-connect-without-authorizer",
        readme="The WebSocket `$connect` route has `authorization_type = \"NONE\"` and no authorizer (both regions).",
        edits=[Edit("modules/websocket-api/main.tf",
                    '  route_key          = "$connect"\n  authorization_type = "CUSTOM"\n'
                    "  authorizer_id      = aws_apigatewayv2_authorizer.this.id\n",
                    '  route_key          = "$connect"\n  authorization_type = "NONE"\n')],
        expected=both("HP-WS-003", "module.websocket.aws_apigatewayv2_route.connect"),
    ),
    # --- issue 14, batch A ---
    Variant(
        name="github-oidc-apply-any-ref",
        readme="The apply role's trust policy admits every branch, tag and environment of the repository "
               "(`StringLike` on `repo:ORG/REPO:*` instead of the production environment).",
        edits=[Edit("modules/github-oidc/main.tf",
                    '      test     = "StringEquals"\n      variable = "token.actions.githubusercontent.com:sub"\n'
                    '      values   = ["repo:${var.github_repository}:environment:production"]\n',
                    '      test     = "StringLike"\n      variable = "token.actions.githubusercontent.com:sub"\n'
                    '      values   = ["repo:${var.github_repository}:*"]\n')],
        expected=[("HP-IAM-001", "module.global.module.github_oidc.aws_iam_role.apply")],
    ),
    Variant(
        name="ecs-task-policy-dynamodb-wildcard",
        readme="The ECS task role's policy allows every DynamoDB action (`dynamodb:*`) instead of the item actions (both regions).",
        edits=[Edit("modules/ecs-service/main.tf",
                    '    actions = [\n      "dynamodb:GetItem",\n      "dynamodb:PutItem",\n      "dynamodb:UpdateItem",\n'
                    '      "dynamodb:DeleteItem",\n      "dynamodb:Query",\n      "dynamodb:BatchGetItem",\n'
                    '      "dynamodb:BatchWriteItem",\n      "dynamodb:ConditionCheckItem",\n    ]\n',
                    '    actions   = ["dynamodb:*"]\n')],
        expected=both("HP-IAM-002", "module.ecs.aws_iam_role_policy.task"),
    ),
    Variant(
        name="cloudtrail-without-log-validation",
        readme="The account trail writes no digest files (`enable_log_file_validation = false`).",
        edits=[Edit("global/cloudtrail.tf", "  enable_log_file_validation    = true\n",
                    "  enable_log_file_validation    = false\n")],
        expected=[("HP-GOV-001", "module.global.aws_cloudtrail.account")],
    ),
    Variant(
        name="guardduty-runtime-monitoring-disabled",
        readme="GuardDuty Runtime Monitoring is planned with `status = \"DISABLED\"` (both regions).",
        edits=[Edit("modules/account-baseline/main.tf",
                    '  name        = "RUNTIME_MONITORING"\n  status      = "ENABLED"\n',
                    '  name        = "RUNTIME_MONITORING"\n  status      = "DISABLED"\n')],
        expected=[("HP-GOV-002", f"module.regions.module.{b}.aws_guardduty_detector.this")
                  for b in ("baseline_primary", "baseline_secondary")],
    ),
    Variant(
        name="config-recorder-not-started",
        readme="The AWS Config recorder status is `is_enabled = false`: the recorders record nothing (both regions).",
        edits=[Edit("modules/account-baseline/main.tf",
                    "  name       = aws_config_configuration_recorder.this.name\n  is_enabled = true\n",
                    "  name       = aws_config_configuration_recorder.this.name\n  is_enabled = false\n")],
        expected=[("HP-GOV-003", f"module.regions.module.{b}.aws_config_configuration_recorder.this")
                  for b in ("baseline_primary", "baseline_secondary")],
    ),
    Variant(
        name="kms-key-policy-any-principal",
        readme="The kms module's administration statement allows `Principal { AWS = \"*\" }` instead of the account root (all three keys).",
        edits=[Edit("modules/kms/main.tf",
                    '        Principal = { AWS = "arn:aws:iam::${var.account_id}:root" }\n        Action    = "kms:*"\n',
                    '        Principal = { AWS = "*" }\n        Action    = "kms:*"\n')],
        expected=[("HP-SEC-004", k) for k in KMS_KEYS],
    ),
    Variant(
        name="sns-alarm-topic-without-cmk",
        readme="The alarm topics set no `kms_master_key_id` (both regions).",
        edits=[Edit("modules/observability/main.tf",
                    '  name              = "${var.name}-alarms"\n  kms_master_key_id = var.kms_key_arn\n',
                    '  name = "${var.name}-alarms"\n')],
        expected=both("HP-SEC-005", "module.observability.aws_sns_topic.alarms"),
    ),
    Variant(
        name="kms-rotation-turned-off",
        readme="The deployed keys' automatic rotation is turned off in place (`enable_key_rotation` true -> false, "
               "all three keys): the plan is edited into the update Terraform plans against the deployed state.",
        edits=[Edit("modules/kms/main.tf",
                    "  enable_key_rotation      = true\n  rotation_period_in_days  = var.rotation_period_in_days\n",
                    "  enable_key_rotation      = false\n")],
        expected=[(r, k) for k in KMS_KEYS for r in ("HP-SEC-003", "HP-CHG-002")],
        json_edit=_update_in_place(KMS_KEYS),
    ),
    Variant(
        name="aurora-plain-master-password",
        readme="The Aurora module sets a constant `master_password` (stored in the state) instead of the write-only "
               "`master_password_wo` from an ephemeral password (primary cluster; the secondary sets none).",
        edits=[Edit("modules/aurora/main.tf",
                    "  master_password_wo         = one(ephemeral.aws_secretsmanager_random_password.master[*].random_password)\n"
                    "  master_password_wo_version = var.master_username == null ? null : var.master_password_version\n",
                    '  master_password = var.master_username == null ? null : "ChangeMe-after-first-apply-0123"\n')],
        expected=[("HP-DATA-010", f"{PRIMARY}.module.aurora.aws_rds_cluster.this")],
    ),
    # --- issue 14, batch B ---
    Variant(
        name="bucket-public-access-not-blocked",
        readme="The ALB access-log bucket's public access block leaves `restrict_public_buckets` unset (both regions).",
        edits=[Edit("modules/alb-public/main.tf", "  ignore_public_acls      = true\n  restrict_public_buckets = true\n",
                    "  ignore_public_acls      = true\n")],
        expected=both("HP-S3-001", "module.alb_public.aws_s3_bucket.access_logs"),
    ),
    Variant(
        name="bucket-allows-plain-http",
        readme="The ALB access-log bucket's policy keeps only the log-delivery Allow: the TLS-only Deny is dropped (both regions).",
        edits=[Edit("modules/alb-public/main.tf",
                    '\n  statement {\n    sid       = "DenyInsecureTransport"\n    effect    = "Deny"\n'
                    '    actions   = ["s3:*"]\n'
                    '    resources = [aws_s3_bucket.access_logs.arn, "${aws_s3_bucket.access_logs.arn}/*"]\n\n'
                    '    principals {\n      type        = "*"\n      identifiers = ["*"]\n    }\n\n'
                    '    condition {\n      test     = "Bool"\n      variable = "aws:SecureTransport"\n'
                    '      values   = ["false"]\n    }\n  }\n', "")],
        expected=both("HP-S3-002", "module.alb_public.aws_s3_bucket.access_logs"),
    ),
    Variant(
        name="log-group-short-retention",
        readme="The FIS experiment log group keeps its events 30 days instead of the platform's 365 (both regions).",
        edits=[Edit("modules/chaos/main.tf", "  retention_in_days = var.log_retention_days\n",
                    "  retention_in_days = 30\n")],
        expected=both("HP-LOG-001", "module.chaos.aws_cloudwatch_log_group.fis"),
    ),
    Variant(
        name="ecs-container-without-log-config",
        readme="The worker container's `awslogs-region` is copied as the constant `\"us-east-1\"`: in eu-west-1 its logs go to a group of another region.",
        edits=[Edit("modules/ecs-service/main.tf",
                    '          "awslogs-group"         = aws_cloudwatch_log_group.worker.name\n'
                    '          "awslogs-region"        = var.region\n',
                    '          "awslogs-group"         = aws_cloudwatch_log_group.worker.name\n'
                    '          "awslogs-region"        = "us-east-1"\n')],
        expected=[("HP-LOG-002", f"{SECONDARY}.module.ecs.aws_ecs_task_definition.worker")],
    ),
    Variant(
        name="image-not-pinned-by-digest",
        readme="The API container's image is referenced by the tag `:latest` instead of its digest (both regions).",
        edits=[Edit("modules/ecs-service/main.tf", '.name}@${var.api_image_digest}"', '.name}:latest"')],
        expected=both("HP-ECS-007", "module.ecs.aws_ecs_task_definition.api"),
    ),
    Variant(
        name="ecr-tag-mutable",
        readme="The ECR repositories allow tags to be overwritten (`image_tag_mutability = \"MUTABLE\"`, both repositories, both regions).",
        edits=[Edit("modules/ecs-service/main.tf", 'image_tag_mutability = "IMMUTABLE"', 'image_tag_mutability = "MUTABLE"')],
        expected=[("HP-ECS-008", f'{m}.module.ecs.aws_ecr_repository.this["{k}"]') for m in BOTH for k in ("api", "worker")],
    ),
    Variant(
        name="ecr-scan-disabled",
        readme="The ECR repositories no longer scan images on push, and no registry scanning configuration covers them (both repositories, both regions).",
        edits=[Edit("modules/ecs-service/main.tf", "    scan_on_push = true\n", "    scan_on_push = false\n")],
        expected=[("HP-ECS-009", f'{m}.module.ecs.aws_ecr_repository.this["{k}"]') for m in BOTH for k in ("api", "worker")],
    ),
    Variant(
        name="ecs-exec-unaudited",
        readme="The worker service enables ECS Exec for debugging, which the platform does not allow (`allow_exec` is false; both regions).",
        edits=[Edit("modules/ecs-service/main.tf", "  enable_execute_command             = false\n",
                    "  enable_execute_command             = true\n")],
        expected=both("HP-ECS-010", "module.ecs.aws_ecs_service.worker"),
    ),
    Variant(
        name="dynamodb-without-deletion-protection",
        readme="The DynamoDB global table has deletion protection turned off.",
        edits=[Edit("modules/dynamodb/main.tf", "  deletion_protection_enabled = true\n",
                    "  deletion_protection_enabled = false\n")],
        expected=[("HP-DATA-013", "module.regions.module.dynamodb.aws_dynamodb_table.this")],
    ),
    # --- issue 14, batch C ---
    Variant(
        name="alb-internal-without-deletion-protection",
        readme="The internal ALB turns deletion protection off (`enable_deletion_protection = false`, both regions).",
        edits=[Edit("modules/alb-internal/main.tf", "  enable_deletion_protection = true\n",
                    "  enable_deletion_protection = false\n")],
        expected=both("HP-LB-005", "module.alb_internal.aws_lb.this"),
    ),
    Variant(
        name="alb-public-access-logs-disabled",
        readme="The public ALB keeps its `access_logs` block but turns delivery off (`enabled = false`, both regions).",
        edits=[Edit("modules/alb-public/main.tf", '    prefix  = "public"\n    enabled = true\n',
                    '    prefix  = "public"\n    enabled = false\n')],
        expected=both("HP-LB-006", "module.alb_public.aws_lb.this"),
    ),
    Variant(
        name="public-subnets-single-az",
        readme="A copy-paste slip puts every public subnet in the first availability zone (`var.availability_zones[0]`), so the public ALB and the NAT gateways all sit in one zone (both regions).",
        # The public subnets' availability_zone is the second of the two in the file.
        edits=[Edit("modules/network/main.tf", "  availability_zone       = var.availability_zones[count.index]\n",
                    "  availability_zone       = var.availability_zones[0]\n", occurrences=2, index=1)],
        # The private subnets of the second and third zones now send their default route to a
        # NAT gateway of the first zone (HP-NET-006).
        expected=both("HP-LB-007", "module.alb_public.aws_lb.this")
        + both("HP-NET-006", "module.network.aws_subnet.private[1]")
        + both("HP-NET-006", "module.network.aws_subnet.private[2]"),
    ),
    Variant(
        name="default-security-group-allows-members",
        readme="The adopted default security group gets back AWS's default ingress rule (all traffic from its own members, both regions).",
        edits=[Edit("modules/network/main.tf",
                    'resource "aws_default_security_group" "this" {\n  vpc_id = aws_vpc.this.id\n',
                    'resource "aws_default_security_group" "this" {\n  vpc_id = aws_vpc.this.id\n\n'
                    '  ingress {\n    protocol  = "-1"\n    self      = true\n    from_port = 0\n    to_port   = 0\n  }\n')],
        expected=both("HP-NET-005", "module.network.aws_default_security_group.this"),
    ),
    Variant(
        name="waf-logs-keep-cookies",
        readme="The WAF logging configuration stops redacting the `cookie` header (only `authorization` is left), so session cookies land in the WAF logs.",
        edits=[Edit("global/waf.tf", '  waf_redacted_headers = ["authorization", "cookie"]\n',
                    '  waf_redacted_headers = ["authorization"]\n')],
        expected=[("HP-EDGE-008", "module.global.aws_wafv2_web_acl.edge")],
    ),
    Variant(
        name="cloudfront-without-access-logs",
        readme="The CloudFront distribution loses its `logging_config` block (standard logs off) and no log delivery replaces it.",
        edits=[Edit("global/cloudfront.tf",
                    "  logging_config {\n    bucket          = aws_s3_bucket.cloudfront_logs.bucket_domain_name\n"
                    '    prefix          = "cloudfront/"\n    include_cookies = false\n  }\n\n', "")],
        expected=[("HP-EDGE-009", "module.global.aws_cloudfront_distribution.main")],
    ),
    Variant(
        name="public-alb-open-to-office",
        readme="An extra ingress rule lets the office range (203.0.113.0/24) reach the public ALB's HTTPS listener directly, bypassing CloudFront and its WAF (both regions).",
        edits=[Edit("modules/alb-public/main.tf",
                    "  prefix_list_id    = data.aws_ec2_managed_prefix_list.cloudfront.id\n}\n",
                    "  prefix_list_id    = data.aws_ec2_managed_prefix_list.cloudfront.id\n}\n\n"
                    'resource "aws_vpc_security_group_ingress_rule" "office_https" {\n'
                    "  security_group_id = aws_security_group.cloudfront.id\n"
                    '  description       = "HTTPS from the office, for testing"\n'
                    '  ip_protocol       = "tcp"\n  from_port         = 443\n  to_port           = 443\n'
                    '  cidr_ipv4         = "203.0.113.0/24"\n}\n')],
        # 203.0.113.0/24 is not the whole internet: HP-NET-003 does not report it.
        expected=both("HP-LB-004", "module.alb_public.aws_vpc_security_group_ingress_rule.office_https"),
    ),
    Variant(
        name="private-egress-single-nat",
        readme="To save cost, every private route table sends its default route to the first zone's NAT gateway (`aws_nat_gateway.this[0]`), so the other zones' private subnets lose egress with that zone (both regions).",
        edits=[Edit("modules/network/main.tf", "  nat_gateway_id         = aws_nat_gateway.this[count.index].id\n",
                    "  nat_gateway_id         = aws_nat_gateway.this[0].id\n")],
        expected=both("HP-NET-006", "module.network.aws_subnet.private[1]")
        + both("HP-NET-006", "module.network.aws_subnet.private[2]"),
    ),
    Variant(
        name="cloudfront-shield-without-health-check",
        readme="The Shield Advanced protection of the CloudFront distribution loses its health check association, so Shield has no health-based detection at the edge.",
        edits=[Edit("global/shield.tf",
                    'resource "aws_shield_protection_health_check_association" "cloudfront" {\n'
                    "  shield_protection_id = aws_shield_protection.cloudfront.id\n"
                    "  health_check_arn     = aws_route53_health_check.edge.arn\n}\n", "")],
        expected=[("HP-EDGE-010", "module.global.aws_shield_protection.cloudfront")],
    ),
    # --- issue 14, batch D ---
    Variant(
        name="codedeploy-no-rollback-on-alarm",
        readme="The API's CodeDeploy deployment group rolls back only on `DEPLOYMENT_FAILURE`, not when an alarm stops the deployment (both regions).",
        edits=[Edit("modules/ecs-service/main.tf",
                    '    events  = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]\n',
                    '    events  = ["DEPLOYMENT_FAILURE"]\n')],
        expected=both("HP-ECS-005", "module.ecs.aws_codedeploy_deployment_group.api"),
    ),
    Variant(
        name="codedeploy-blue-terminated-early",
        readme="The API's deployment group terminates the blue task set 5 minutes after a successful deployment, too soon to roll back a regression by moving traffic (both regions).",
        edits=[Edit("modules/ecs-service/main.tf",
                    "      termination_wait_time_in_minutes = 30\n",
                    "      termination_wait_time_in_minutes = 5\n")],
        expected=both("HP-ECS-006", "module.ecs.aws_codedeploy_deployment_group.api"),
    ),
    Variant(
        name="aurora-secondary-engine-pinned",
        readme="The secondary regional stack pins Aurora to engine version 16.2, a literal left from before the global cluster's upgrade to 16.4.",
        edits=[Edit("regions/main.tf",
                    "  aurora_engine_version            = aws_rds_global_cluster.this.engine_version\n",
                    '  aurora_engine_version            = "16.2"\n',
                    occurrences=2, index=1)],
        expected=[("HP-DATA-008", "module.regions.aws_rds_global_cluster.this")],
    ),
    Variant(
        name="dynamodb-replica-without-pitr",
        readme="The DynamoDB table's eu-west-1 replica turns point-in-time recovery off, so that region's copy cannot be restored to a point in time.",
        edits=[Edit("modules/dynamodb/main.tf", "    point_in_time_recovery = true\n", "    point_in_time_recovery = false\n")],
        expected=[("HP-DATA-009", "module.regions.module.dynamodb.aws_dynamodb_table.this")],
    ),
    Variant(
        name="alb-alarms-muted",
        readme="The public ALB's 5xx alarm and the SLO alarms are muted (`actions_enabled = false`) for a noisy migration and left so: nothing notifies when the ALB serves errors (both regions).",
        edits=[Edit("modules/alb-public/main.tf", "  actions_enabled     = true\n", "  actions_enabled     = false\n")]
        + [Edit("modules/observability/main.tf", "  actions_enabled     = true\n", "  actions_enabled     = false\n",
                occurrences=n) for n in (4, 3, 2, 1)],
        expected=both("HP-OBS-001", "module.alb_public.aws_lb.this"),
    ),
    Variant(
        name="chaos-primary-only",
        readme="The chaos module is instantiated only in the primary region (`count` on the master user name, which only the primary sets), so the region traffic fails over to never runs FIS experiments.",
        edits=[Edit("modules/regional-stack/main.tf",
                    'module "chaos" {\n  source    = "../chaos"\n',
                    'module "chaos" {\n  count     = var.db_master_username == null ? 0 : 1\n  source    = "../chaos"\n')],
        expected=[("HP-DR-002", f"{PRIMARY}.module.chaos[0].aws_fis_experiment_template.{t}")
                  for t in ("az_network_disruption", "ecs_task_stop")],
    ),
    Variant(
        name="health-alarm-copy-paste",
        readme="The secondary origin's health alarm was copied from the primary's and still watches the primary health check, so nothing alarms when the standby region turns unhealthy.",
        edits=[Edit("global/main.tf",
                    "  dimensions          = { HealthCheckId = aws_route53_health_check.secondary.id }\n",
                    "  dimensions          = { HealthCheckId = aws_route53_health_check.primary.id }\n")],
        expected=[("HP-DNS-004", "module.global.aws_route53_health_check.secondary")],
    ),
    Variant(
        name="zone-query-log-removed",
        readme="The public zone's `aws_route53_query_log` was removed while debugging the log group's resource policy and never restored: Route 53 logs no DNS queries of the zone.",
        edits=[Edit("global/dns.tf",
                    'resource "aws_route53_query_log" "public" {\n'
                    "  zone_id                  = aws_route53_zone.public.zone_id\n"
                    "  cloudwatch_log_group_arn = aws_cloudwatch_log_group.dns_queries.arn\n\n"
                    "  depends_on = [aws_cloudwatch_log_resource_policy.dns_queries]\n}\n", "")],
        expected=[("HP-DNS-005", "module.global.aws_route53_zone.public")],
    ),
    Variant(
        name="websocket-handler-timeout-60",
        readme="The WebSocket `$default` handler's timeout is raised to 60 seconds for a slow downstream call, past the 29-second integration timeout after which API Gateway has already answered the client (both regions).",
        edits=[Edit("modules/websocket-api/main.tf",
                    "      # API Gateway waits at most 29 seconds for an integration.\n      timeout     = 29\n",
                    "      timeout     = 60\n")],
        expected=both("HP-WS-004", 'module.websocket.module.function["default"].aws_lambda_function.this'),
    ),
]
