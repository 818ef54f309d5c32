locals {
  tags = merge(var.tags, { Module = "backup" })
}

resource "aws_backup_vault" "this" {
  name          = "${var.name}-vault"
  kms_key_arn   = var.kms_key_arn
  force_destroy = false

  tags = local.tags

  lifecycle {
    prevent_destroy = true
  }
}

# Vault Lock: recovery points cannot be deleted before min_retention_days or
# kept past max_retention_days. After changeable_for_days the lock becomes
# compliance mode and can no longer be removed, not even by the root user.
resource "aws_backup_vault_lock_configuration" "this" {
  backup_vault_name   = aws_backup_vault.this.name
  min_retention_days  = 7
  max_retention_days  = 365
  changeable_for_days = 3
}

resource "aws_iam_role" "backup" {
  name = "${var.name}-backup"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "backup.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "backup" {
  role       = aws_iam_role.backup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_iam_role_policy_attachment" "restore" {
  role       = aws_iam_role.backup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"
}

# Every rule keeps its recovery points here and copies them into the vault of
# the other region (encrypted there with that region's key), so one region's
# loss never takes the only backup with it.
resource "aws_backup_plan" "this" {
  name = "${var.name}-plan"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.this.name
    schedule          = var.schedule
    start_window      = 60
    completion_window = 360

    lifecycle {
      delete_after = var.retention_days
    }

    copy_action {
      destination_vault_arn = var.copy_destination_vault_arn

      lifecycle {
        delete_after = var.copy_retention_days
      }
    }

    recovery_point_tags = local.tags
  }

  tags = local.tags
}

resource "aws_backup_selection" "this" {
  name         = "${var.name}-databases"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.backup.arn

  resources = [
    var.aurora_cluster_arn,
    var.dynamodb_table_arn,
  ]
}

resource "aws_backup_vault_notifications" "this" {
  backup_vault_name = aws_backup_vault.this.name
  sns_topic_arn     = var.notification_topic_arn
  backup_vault_events = [
    "BACKUP_JOB_FAILED",
    "COPY_JOB_FAILED",
    "RESTORE_JOB_COMPLETED",
    "RECOVERY_POINT_MODIFIED",
  ]
}
