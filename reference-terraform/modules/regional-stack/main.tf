# One region of the platform. Instantiated twice from regions/ with
# providers = { aws = aws.primary } and { aws = aws.secondary }; every child
# module receives that same provider explicitly.

data "aws_region" "current" {}

# Locals hold names and tags only; every security-relevant value is passed as
# a direct reference so that it stays visible in the plan's configuration.
locals {
  # Compact region code keeps ALB and target-group names within 32 characters.
  name = "${var.name}-${replace(data.aws_region.current.name, "-", "")}"
  tags = merge(var.tags, { Region = data.aws_region.current.name })
}

# ---------------------------------------------------------------------------
# Regional certificate: the origin names CloudFront connects to, the WebSocket
# custom domain and the internal ALB name.
# ---------------------------------------------------------------------------
resource "aws_acm_certificate" "regional" {
  domain_name       = "origin-${data.aws_region.current.name}.${var.domain_name}"
  validation_method = "DNS"
  key_algorithm     = "RSA_2048"
  subject_alternative_names = [
    "origin.${var.domain_name}",
    "ws.${var.domain_name}",
    "internal-${data.aws_region.current.name}.${var.domain_name}",
  ]

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

# Validation records of names shared by both regions (origin., ws.) are
# identical for both certificates, hence allow_overwrite.
resource "aws_route53_record" "cert_validation" {
  for_each = {
    for dvo in aws_acm_certificate.regional.domain_validation_options : dvo.domain_name => {
      name   = dvo.resource_record_name
      record = dvo.resource_record_value
      type   = dvo.resource_record_type
    }
  }

  zone_id         = var.public_zone_id
  name            = each.value.name
  type            = each.value.type
  ttl             = 300
  records         = [each.value.record]
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "regional" {
  certificate_arn         = aws_acm_certificate.regional.arn
  validation_record_fqdns = [for r in aws_route53_record.cert_validation : r.fqdn]
}

# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------
module "kms" {
  source    = "../kms"
  providers = { aws = aws }

  name        = local.name
  description = "Regional data key of ${local.name}"
  account_id  = var.account_id
  region      = data.aws_region.current.name
  tags        = local.tags
}

module "network" {
  source    = "../network"
  providers = { aws = aws }

  name               = local.name
  account_id         = var.account_id
  region             = data.aws_region.current.name
  vpc_cidr           = var.vpc_cidr
  availability_zones = var.availability_zones
  kms_key_arn        = module.kms.key_arn
  tags               = local.tags
}

module "alb_public" {
  source    = "../alb-public"
  providers = { aws = aws }

  name                   = local.name
  account_id             = var.account_id
  vpc_id                 = module.network.vpc_id
  vpc_cidr               = module.network.vpc_cidr
  public_subnet_ids      = module.network.public_subnet_ids
  certificate_arn        = aws_acm_certificate_validation.regional.certificate_arn
  ssl_policy             = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  target_port            = var.container_port
  health_checker_regions = var.health_checker_regions
  health_check_fqdn      = "origin-${data.aws_region.current.name}.${var.domain_name}"
  alarm_topic_arn        = module.observability.topic_arn
  tags                   = local.tags
}

module "alb_internal" {
  source    = "../alb-internal"
  providers = { aws = aws }

  name               = local.name
  vpc_id             = module.network.vpc_id
  vpc_cidr           = module.network.vpc_cidr
  private_subnet_ids = module.network.private_subnet_ids
  certificate_arn    = aws_acm_certificate_validation.regional.certificate_arn
  ssl_policy         = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  target_port        = var.container_port
  access_logs_bucket = module.alb_public.access_logs_bucket
  tags               = local.tags
}

module "observability" {
  source    = "../observability"
  providers = { aws = aws }

  name           = local.name
  account_id     = var.account_id
  kms_key_arn    = module.kms.key_arn
  alb_arn_suffix = module.alb_public.alb_arn_suffix
  slo_target     = var.slo_target
  alarm_emails   = var.alarm_emails
  tags           = local.tags
}

module "app_secret" {
  source    = "../secrets"
  providers = { aws = aws }

  name                   = local.name
  secret_name            = "${var.name}/app/signing-key"
  description            = "Application session signing key"
  account_id             = var.account_id
  region                 = data.aws_region.current.name
  kms_key_arn            = module.kms.key_arn
  rotation_days          = 30
  vpc_id                 = module.network.vpc_id
  private_subnet_ids     = module.network.private_subnet_ids
  lambda_artifact_bucket = var.lambda_artifact_bucket
  tags                   = local.tags
}

module "aurora" {
  source    = "../aurora"
  providers = { aws = aws }

  name                      = local.name
  vpc_id                    = module.network.vpc_id
  private_subnet_ids        = module.network.private_subnet_ids
  kms_key_arn               = module.kms.key_arn
  global_cluster_identifier = var.aurora_global_cluster_identifier
  join_after                = var.aurora_join_after
  engine_version            = var.aurora_engine_version
  parameter_group_family    = var.aurora_parameter_group_family
  instance_class            = var.aurora_instance_class
  instance_count            = var.aurora_instance_count
  database_name             = var.db_master_username == null ? null : var.db_name
  master_username           = var.db_master_username
  backup_retention_period   = 35
  allowed_security_group_ids = {
    api    = module.ecs.api_security_group_id
    worker = module.ecs.worker_security_group_id
  }
  tags = local.tags
}

module "ecs" {
  source    = "../ecs-service"
  providers = { aws = aws }

  name                           = local.name
  app_name                       = var.name
  account_id                     = var.account_id
  region                         = data.aws_region.current.name
  vpc_id                         = module.network.vpc_id
  vpc_cidr                       = module.network.vpc_cidr
  private_subnet_ids             = module.network.private_subnet_ids
  kms_key_arn                    = module.kms.key_arn
  api_image_repository           = var.api_image_repository
  api_image_digest               = var.api_image_digest
  worker_image_repository        = var.worker_image_repository
  worker_image_digest            = var.worker_image_digest
  container_port                 = var.container_port
  public_alb_security_group_id   = module.alb_public.security_group_id
  internal_alb_security_group_id = module.alb_internal.security_group_id
  blue_target_group_arn          = module.alb_public.blue_target_group_arn
  blue_target_group_name         = module.alb_public.blue_target_group_name
  green_target_group_name        = module.alb_public.green_target_group_name
  https_listener_arn             = module.alb_public.https_listener_arn
  worker_target_group_arn        = module.alb_internal.target_group_arn
  rollback_alarm_names           = module.observability.rollback_alarm_names
  app_secret_arn                 = module.app_secret.secret_arn
  app_secret_name                = module.app_secret.secret_name
  dynamodb_table_name            = var.dynamodb_table_name
  dynamodb_table_arn             = var.dynamodb_table_arn
  db_endpoint                    = module.aurora.endpoint
  db_port                        = module.aurora.port
  db_name                        = var.db_name
  db_cluster_resource_id         = module.aurora.cluster_resource_id
  tags                           = local.tags
}

module "websocket" {
  source    = "../websocket-api"
  providers = { aws = aws }

  name                   = local.name
  account_id             = var.account_id
  region                 = data.aws_region.current.name
  vpc_id                 = module.network.vpc_id
  private_subnet_ids     = module.network.private_subnet_ids
  kms_key_arn            = module.kms.key_arn
  dynamodb_table_name    = var.dynamodb_table_name
  dynamodb_table_arn     = var.dynamodb_table_arn
  lambda_artifact_bucket = var.lambda_artifact_bucket
  jwt_issuer             = var.jwt_issuer
  jwt_audience           = var.jwt_audience
  throttling_burst_limit = 500
  throttling_rate_limit  = 1000
  domain_name            = "ws.${var.domain_name}"
  certificate_arn        = aws_acm_certificate_validation.regional.certificate_arn
  tags                   = local.tags
}

# Backups of this region's databases, copied into the other region's vault.
module "backup" {
  source    = "../backup"
  providers = { aws = aws }

  name                       = local.name
  kms_key_arn                = module.kms.key_arn
  copy_destination_vault_arn = var.copy_destination_vault_arn
  aurora_cluster_arn         = module.aurora.cluster_arn
  dynamodb_table_arn         = var.dynamodb_table_arn
  notification_topic_arn     = module.observability.topic_arn
  retention_days             = 35
  copy_retention_days        = 35
  tags                       = local.tags
}

module "chaos" {
  source    = "../chaos"
  providers = { aws = aws }

  name             = local.name
  account_id       = var.account_id
  kms_key_arn      = module.kms.key_arn
  ecs_cluster_name = module.ecs.cluster_name
  ecs_service_name = module.ecs.api_service_name
  # The private subnet of the first AZ: one AZ at a time.
  az_subnet_arns = [module.network.private_subnet_arns[0]]
  stop_alarm_arn = module.observability.target_errors_alarm_arn
  tags           = local.tags
}

# ---------------------------------------------------------------------------
# Regional DNS names. The routing records (failover origin., latency ws.) and
# their health checks live in global/ and point at these names.
# ---------------------------------------------------------------------------
resource "aws_route53_record" "origin" {
  zone_id = var.public_zone_id
  name    = "origin-${data.aws_region.current.name}.${var.domain_name}"
  type    = "A"

  alias {
    name                   = module.alb_public.alb_dns_name
    zone_id                = module.alb_public.alb_zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "websocket" {
  zone_id = var.public_zone_id
  name    = "ws-${data.aws_region.current.name}.${var.domain_name}"
  type    = "A"

  alias {
    name                   = module.websocket.domain_target
    zone_id                = module.websocket.domain_hosted_zone_id
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "internal" {
  zone_id = var.public_zone_id
  name    = "internal-${data.aws_region.current.name}.${var.domain_name}"
  type    = "A"

  alias {
    name                   = module.alb_internal.alb_dns_name
    zone_id                = module.alb_internal.alb_zone_id
    evaluate_target_health = true
  }
}
