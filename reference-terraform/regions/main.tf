# The two regions of the platform and the pieces that span them.
#
# Cross-region wiring, and why it is acyclic
# ------------------------------------------
# Terraform evaluates module inputs and outputs as separate graph nodes, so
# two module calls may consume each other's outputs as long as no chain of
# resource references loops back on itself:
#
#   module.primary.backup plan   -> module.secondary.backup_vault_arn
#                                   (vault -> secondary KMS key; nothing else)
#   module.secondary.backup plan -> module.primary.backup_vault_arn
#                                   (vault -> primary KMS key; nothing else)
#   module.dynamodb (primary)    -> primary and secondary KMS key ARNs
#   module.secondary Aurora      -> aws_rds_global_cluster.this, and through
#                                   aurora_join_after (a depends_on) the primary
#                                   cluster and its instances
#
# The vaults depend only on their region's KMS key, never on a backup plan,
# so the backup copy wiring does not need separate vault modules. Both
# regional clusters refer to the global cluster directly; the secondary one
# also waits, through aurora_join_after, for the primary's instances, because
# Aurora accepts a secondary cluster only after the primary has a writer. No
# module call uses depends_on (that would make the whole module one node and
# create a cycle).

resource "aws_rds_global_cluster" "this" {
  provider = aws.primary

  global_cluster_identifier = "${var.name}-global"
  engine                    = "aurora-postgresql"
  engine_version            = var.aurora_engine_version
  database_name             = var.db_name
  storage_encrypted         = true
  deletion_protection       = true

  lifecycle {
    prevent_destroy = true

    precondition {
      condition     = var.primary_region != var.secondary_region
      error_message = "primary_region and secondary_region must differ."
    }
  }
}

# The DynamoDB global table is created once, from the primary region. Its
# replica block creates the secondary region's copy, encrypted with the
# secondary region's key; the secondary stack uses that replica.
module "dynamodb" {
  source    = "../modules/dynamodb"
  providers = { aws = aws.primary }

  name                = "${var.name}-app"
  kms_key_arn         = module.primary.kms_key_arn
  replica_region_name = var.secondary_region
  replica_kms_key_arn = module.secondary.kms_key_arn
  tags                = var.tags
}

module "primary" {
  source    = "../modules/regional-stack"
  providers = { aws = aws.primary }

  name                   = var.name
  account_id             = var.account_id
  domain_name            = var.domain_name
  public_zone_id         = var.public_zone_id
  vpc_cidr               = var.primary_vpc_cidr
  availability_zones     = var.primary_availability_zones
  health_checker_regions = var.health_checker_regions

  aurora_global_cluster_identifier = aws_rds_global_cluster.this.id
  aurora_engine_version            = aws_rds_global_cluster.this.engine_version
  aurora_instance_class            = var.aurora_instance_class
  db_name                          = var.db_name
  db_master_username               = var.db_master_username

  dynamodb_table_name = module.dynamodb.table_name
  dynamodb_table_arn  = module.dynamodb.table_arn

  # Backups of the primary region are copied to the secondary region's vault.
  copy_destination_vault_arn = module.secondary.backup_vault_arn

  api_image_digest       = var.api_image_digest
  worker_image_digest    = var.worker_image_digest
  lambda_artifact_bucket = var.primary_lambda_artifact_bucket
  jwt_issuer             = var.jwt_issuer
  jwt_audience           = var.jwt_audience
  slo_target             = var.slo_target
  alarm_emails           = var.alarm_emails
  tags                   = var.tags
}

module "secondary" {
  source    = "../modules/regional-stack"
  providers = { aws = aws.secondary }

  name                   = var.name
  account_id             = var.account_id
  domain_name            = var.domain_name
  public_zone_id         = var.public_zone_id
  vpc_cidr               = var.secondary_vpc_cidr
  availability_zones     = var.secondary_availability_zones
  health_checker_regions = var.health_checker_regions

  # Joins the global cluster only after the primary cluster has instances.
  aurora_global_cluster_identifier = aws_rds_global_cluster.this.id
  aurora_join_after                = module.primary.aurora_global_cluster_identifier
  aurora_engine_version            = aws_rds_global_cluster.this.engine_version
  aurora_instance_class            = var.aurora_instance_class
  db_name                          = var.db_name
  # A secondary cluster gets its users and data from the primary.
  db_master_username = null

  dynamodb_table_name = module.dynamodb.table_name
  dynamodb_table_arn  = module.dynamodb.replica_arns[var.secondary_region]

  # Backups of the secondary region are copied to the primary region's vault.
  copy_destination_vault_arn = module.primary.backup_vault_arn

  api_image_digest       = var.api_image_digest
  worker_image_digest    = var.worker_image_digest
  lambda_artifact_bucket = var.secondary_lambda_artifact_bucket
  jwt_issuer             = var.jwt_issuer
  jwt_audience           = var.jwt_audience
  slo_target             = var.slo_target
  alarm_emails           = var.alarm_emails
  tags                   = var.tags
}

# The account's detective controls in each platform region: GuardDuty,
# AWS Config and Security Hub. Global resource types (IAM) are recorded by
# the primary region's recorder only.
module "baseline_primary" {
  source    = "../modules/account-baseline"
  providers = { aws = aws.primary }

  name                    = "${var.name}-${replace(var.primary_region, "-", "")}"
  account_id              = var.account_id
  kms_key_arn             = module.primary.kms_key_arn
  record_global_resources = true
  tags                    = var.tags
}

module "baseline_secondary" {
  source    = "../modules/account-baseline"
  providers = { aws = aws.secondary }

  name                    = "${var.name}-${replace(var.secondary_region, "-", "")}"
  account_id              = var.account_id
  kms_key_arn             = module.secondary.kms_key_arn
  record_global_resources = false
  tags                    = var.tags
}

# Images are pushed to the primary region's repositories; ECR copies them into
# the same repositories of the secondary region (modules/ecs-service creates
# both), so each region pulls from its own registry, also when the other is
# down.
resource "aws_ecr_replication_configuration" "this" {
  provider = aws.primary

  replication_configuration {
    rule {
      destination {
        region      = var.secondary_region
        registry_id = var.account_id
      }
    }
  }
}
