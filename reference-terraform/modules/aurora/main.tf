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

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
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

# A member of the Aurora global cluster. The primary region passes the master
# credentials and database name; a secondary region passes null for them and
# receives everything by storage-level replication from the primary.
resource "aws_rds_cluster" "this" {
  cluster_identifier        = "${var.name}-aurora"
  engine                    = "aurora-postgresql"
  engine_mode               = "provisioned"
  engine_version            = var.engine_version
  global_cluster_identifier = var.global_cluster_identifier
  database_name             = var.database_name
  master_username           = var.master_username
  master_password           = var.master_password
  port                      = var.port

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
    # Secondary members report the primary as replication source; the master
    # password is rotated outside Terraform after bootstrap.
    ignore_changes = [replication_source_identifier, master_password]
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
