# The whole platform in one configuration: global/ and regions/ called as
# modules, with the hosted zone id passed from one to the other instead of
# through `terraform output`. This root is for review and for the plan fixture
# (fixtures/reference-platform/plan.json, made by scripts/reference-plan.sh):
# one plan shows every resource, so a policy check sees every cross-stack link
# (the regional records in the zone, the ALBs that global/ groups under Shield).
#
# global/ and regions/ remain the deployable roots, each with its own state and
# pipeline job. Both keep their provider blocks (and backend blocks, which
# Terraform ignores in a called module); Terraform accepts provider blocks in a
# called module as long as the call uses no count, for_each or depends_on, so
# these two calls use none, and this root declares no provider of its own.

module "global" {
  source = "../global"

  name                 = var.name
  account_id           = var.account_id
  domain_name          = var.domain_name
  primary_region       = var.primary_region
  secondary_region     = var.secondary_region
  health_check_regions = var.health_checker_regions
  alarm_emails         = var.alarm_emails
  tags                 = var.tags
}

module "regions" {
  source = "../regions"

  name                   = var.name
  account_id             = var.account_id
  domain_name            = var.domain_name
  primary_region         = var.primary_region
  secondary_region       = var.secondary_region
  public_zone_id         = module.global.public_zone_id
  health_checker_regions = var.health_checker_regions

  api_image_digest                 = var.api_image_digest
  worker_image_digest              = var.worker_image_digest
  primary_lambda_artifact_bucket   = var.primary_lambda_artifact_bucket
  secondary_lambda_artifact_bucket = var.secondary_lambda_artifact_bucket
  jwt_issuer                       = var.jwt_issuer
  jwt_audience                     = var.jwt_audience
  alarm_emails                     = var.alarm_emails
  tags                             = var.tags
}
