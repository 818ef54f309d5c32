"""The variants of the reference platform: each one realistic mistake, made by a
small patch of the HCL in the temporary copy (and, for a replacement, which
cannot be planned without prior state, an edit of the plan JSON), planned with
real Terraform by generate.py.

`expected` is the exact set of findings the variant must produce, decided from
the rules' semantics (rules/hardened-platform/**), not from tfwarden's output;
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
