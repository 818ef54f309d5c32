# One customer-managed key per region. Every encrypted resource of the
# regional stack (logs, SNS, Secrets Manager, Aurora, DynamoDB, Backup,
# Lambda environment) uses it, so a key compromise or rotation is one
# object to reason about, and its policy is the single place that says
# which AWS services may use it.
resource "aws_kms_key" "this" {
  description              = var.description
  key_usage                = "ENCRYPT_DECRYPT"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  enable_key_rotation      = true
  rotation_period_in_days  = var.rotation_period_in_days
  deletion_window_in_days  = 30
  multi_region             = false
  is_enabled               = true

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        # Delegates key use to IAM policies in this account; without it no
        # IAM role could use the key and the key would be unmanageable.
        Sid       = "AccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${var.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        # Encrypted CloudWatch log groups (flow logs, ECS, Lambda, API
        # Gateway access logs, WAF, FIS) in this region only.
        Sid       = "CloudWatchLogs"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.region}.amazonaws.com" }
        Action = [
          "kms:Encrypt*",
          "kms:Decrypt*",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:Describe*",
        ]
        Resource = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:${var.region}:${var.account_id}:log-group:*"
          }
        }
      },
      {
        # CloudWatch alarms and AWS Backup notifications publish to
        # KMS-encrypted SNS topics.
        Sid    = "AlarmAndBackupNotifications"
        Effect = "Allow"
        Principal = {
          Service = ["cloudwatch.amazonaws.com", "backup.amazonaws.com"]
        }
        Action   = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource = "*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = var.account_id }
        }
      },
      ],
      # Only the key of the account trail (global/) lets CloudTrail encrypt log
      # files, and only for that trail.
      var.cloudtrail_trail_arn == null ? [] : [
        {
          Sid       = "CloudTrailLogFiles"
          Effect    = "Allow"
          Principal = { Service = "cloudtrail.amazonaws.com" }
          Action    = "kms:GenerateDataKey*"
          Resource  = "*"
          Condition = {
            StringEquals = {
              "aws:SourceArn"                            = var.cloudtrail_trail_arn
              "kms:EncryptionContext:aws:cloudtrail:arn" = var.cloudtrail_trail_arn
            }
          }
        },
        {
          Sid       = "CloudTrailDescribeKey"
          Effect    = "Allow"
          Principal = { Service = "cloudtrail.amazonaws.com" }
          Action    = "kms:DescribeKey"
          Resource  = "*"
          Condition = {
            StringEquals = { "aws:SourceArn" = var.cloudtrail_trail_arn }
          }
        },
    ])
  })

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}
