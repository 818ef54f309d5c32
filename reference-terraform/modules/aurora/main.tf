locals {
  tags = merge(var.tags, { Module = "aurora" })
}

# Subnet group of private subnets only: the cluster has no path from the
# internet even if an instance were flagged public.
resource "aws_db_subnet_group" "this" {
  name        = "${var.name}-aurora"
  description = "Private subnets of ${var.name}"
  subnet_ids  = var.private_subnet_ids

  tags = local.tags
}

resource "aws_security_group" "this" {
  name        = "${var.name}-aurora"
  description = "Aurora: PostgreSQL from application security groups only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-aurora" })
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each = var.allowed_security_group_ids

  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = each.value
}

resource "aws_rds_cluster_parameter_group" "this" {
  name        = "${var.name}-aurora-pg"
  family      = var.parameter_group_family
  description = "TLS-only connections and connection logging"

  # rds.force_ssl = 1 and connection logging by default (var.cluster_parameters).

  dynamic "parameter" {
    for_each = var.cluster_parameters

    content {
      name  = parameter.key
      value = parameter.value
    }
  }

  tags = local.tags
}

resource "aws_iam_role" "monitoring" {
  name = "${var.name}-rds-monitoring"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "monitoring.rds.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

# The bootstrap master password of the primary cluster. Aurora global databases
# cannot let RDS manage the master password in Secrets Manager
# (manage_master_user_password), so Secrets Manager's GetRandomPassword makes
# one while Terraform runs: an ephemeral resource, whose value is never written
# to the plan or the state, handed to RDS through the write-only argument
# master_password_wo. Nobody knows it and nothing stores it: applications sign
# in with IAM tokens, and an operator who needs the master user sets a new
# password with `aws rds modify-db-cluster --master-user-password` (recorded by
# CloudTrail). Raising master_password_version makes Terraform send a new
# random password. Secondary clusters get their users from the primary.
ephemeral "aws_secretsmanager_random_password" "master" {
  count = var.master_username == null ? 0 : 1

  password_length = 40
  # RDS refuses /, " and @ in a master password; spaces invite quoting bugs.
  exclude_characters = "/\"@"
  include_space      = false
}

# A member of the Aurora global cluster. The primary region passes the master
# user name and database name; a secondary region passes null for them and
# receives everything by storage-level replication from the primary.
resource "aws_rds_cluster" "this" {
  cluster_identifier        = "${var.name}-aurora"
  engine                    = "aurora-postgresql"
  engine_mode               = "provisioned"
  engine_version            = var.engine_version
  global_cluster_identifier = var.global_cluster_identifier
  database_name             = var.database_name
  master_username           = var.master_username
  port                      = var.port

  # Write-only: sent to RDS when the version changes, never stored (see above).
  master_password_wo         = one(ephemeral.aws_secretsmanager_random_password.master[*].random_password)
  master_password_wo_version = var.master_username == null ? null : var.master_password_version

  db_subnet_group_name            = aws_db_subnet_group.this.name
  vpc_security_group_ids          = [aws_security_group.this.id]
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.this.name

  storage_encrypted                   = true
  kms_key_id                          = var.kms_key_arn
  iam_database_authentication_enabled = true
  deletion_protection                 = true
  backup_retention_period             = var.backup_retention_period
  preferred_backup_window             = var.preferred_backup_window
  preferred_maintenance_window        = var.preferred_maintenance_window
  copy_tags_to_snapshot               = true
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "${var.name}-aurora-final"
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  apply_immediately                   = false

  tags = local.tags

  # A secondary cluster may join the global cluster only once the primary
  # cluster has a writer; join_after carries that dependency without hiding
  # the direct reference to the global cluster above.
  depends_on = [var.join_after]

  lifecycle {
    prevent_destroy = true
    # Secondary members report the primary as replication source.
    ignore_changes = [replication_source_identifier]
  }
}

resource "aws_rds_cluster_instance" "this" {
  count = var.instance_count

  identifier                            = "${var.name}-aurora-${count.index}"
  cluster_identifier                    = aws_rds_cluster.this.id
  engine                                = aws_rds_cluster.this.engine
  engine_version                        = aws_rds_cluster.this.engine_version
  instance_class                        = var.instance_class
  db_subnet_group_name                  = aws_db_subnet_group.this.name
  publicly_accessible                   = false
  auto_minor_version_upgrade            = true
  copy_tags_to_snapshot                 = true
  ca_cert_identifier                    = "rds-ca-rsa2048-g1"
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.kms_key_arn
  performance_insights_retention_period = 7
  monitoring_interval                   = 60
  monitoring_role_arn                   = aws_iam_role.monitoring.arn
  promotion_tier                        = count.index
  apply_immediately                     = false

  tags = local.tags

  depends_on = [aws_iam_role_policy_attachment.monitoring]
}
