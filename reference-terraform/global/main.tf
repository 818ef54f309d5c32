# Edge and DNS of the platform: CloudFront with WAF and Shield Advanced in
# front of the two regional public ALBs, Route53 with health-checked failover
# and latency records. Regional names follow the convention
# origin-<region>.<domain> and ws-<region>.<domain>; regions/ creates them.

locals {
  primary_origin   = "origin-${var.primary_region}.${var.domain_name}"
  secondary_origin = "origin-${var.secondary_region}.${var.domain_name}"
  tags             = merge(var.tags, { Stack = "global" })

  # Built from names, so the key policy can name the trail before it exists.
  trail_name = "${var.name}-account"
  trail_arn  = "arn:aws:cloudtrail:us-east-1:${var.account_id}:trail/${local.trail_name}"
}

module "kms" {
  source    = "../modules/kms"
  providers = { aws = aws }

  name        = "${var.name}-global"
  description = "Edge logs and DR notifications of ${var.name}"
  account_id  = var.account_id
  region      = "us-east-1"
  tags        = local.tags

  # The account trail (cloudtrail.tf) encrypts its log files with this key.
  cloudtrail_trail_arn = local.trail_arn
}

# GitHub Actions OIDC federation and the plan and apply roles of the
# workflows in .github/workflows. IAM is global: one call, here.
module "github_oidc" {
  source    = "../modules/github-oidc"
  providers = { aws = aws }

  name              = var.name
  account_id        = var.account_id
  github_repository = var.github_repository
  platform_regions  = [var.primary_region, var.secondary_region]
  state_bucket_name = var.terraform_state_bucket
  lock_table_name   = var.terraform_lock_table
  tags              = local.tags
}

# ---------------------------------------------------------------------------
# CloudFront standard logs. CloudFront's legacy log delivery writes with
# object ACLs, so the bucket keeps ACLs enabled (BucketOwnerPreferred) but
# blocks every form of public access and accepts TLS only.
# ---------------------------------------------------------------------------
resource "aws_s3_bucket" "cloudfront_logs" {
  bucket        = "${var.name}-cloudfront-logs-${var.account_id}"
  force_destroy = false

  tags = local.tags
}

resource "aws_s3_bucket_public_access_block" "cloudfront_logs" {
  bucket = aws_s3_bucket.cloudfront_logs.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "cloudfront_logs" {
  bucket = aws_s3_bucket.cloudfront_logs.id

  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "cloudfront_logs" {
  bucket = aws_s3_bucket.cloudfront_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "cloudfront_logs" {
  bucket = aws_s3_bucket.cloudfront_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "cloudfront_logs" {
  bucket = aws_s3_bucket.cloudfront_logs.id

  rule {
    id     = "expire-cloudfront-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.log_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

# The policy is an aws_iam_policy_document (not jsonencode) so that its statements
# are in the plan even while the bucket ARN is unknown: a linter can see the TLS-only Deny.
data "aws_iam_policy_document" "cloudfront_logs" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.cloudfront_logs.arn, "${aws_s3_bucket.cloudfront_logs.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "cloudfront_logs" {
  bucket = aws_s3_bucket.cloudfront_logs.id
  policy = data.aws_iam_policy_document.cloudfront_logs.json

  depends_on = [aws_s3_bucket_public_access_block.cloudfront_logs]
}

# ---------------------------------------------------------------------------
# DR notifications: Route53 health-check alarms (their metrics exist only in
# us-east-1).
# ---------------------------------------------------------------------------
resource "aws_sns_topic" "dr" {
  name              = "${var.name}-dr-alarms"
  kms_master_key_id = module.kms.key_arn

  tags = local.tags
}

resource "aws_sns_topic_policy" "dr" {
  arn = aws_sns_topic.dr.arn

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "CloudWatchAlarms"
      Effect    = "Allow"
      Principal = { Service = "cloudwatch.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.dr.arn
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })
}

resource "aws_sns_topic_subscription" "dr_email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.dr.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_metric_alarm" "health_primary" {
  alarm_name          = "${var.name}-health-${var.primary_region}"
  alarm_description   = "Route53 health check of ${local.primary_origin} failing: DNS failover to ${var.secondary_region} is in progress"
  namespace           = "AWS/Route53"
  metric_name         = "HealthCheckStatus"
  dimensions          = { HealthCheckId = aws_route53_health_check.primary.id }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = [aws_sns_topic.dr.arn]
  ok_actions          = [aws_sns_topic.dr.arn]

  tags = local.tags
}

resource "aws_cloudwatch_metric_alarm" "health_secondary" {
  alarm_name          = "${var.name}-health-${var.secondary_region}"
  alarm_description   = "Route53 health check of ${local.secondary_origin} failing: the standby region cannot take traffic"
  namespace           = "AWS/Route53"
  metric_name         = "HealthCheckStatus"
  dimensions          = { HealthCheckId = aws_route53_health_check.secondary.id }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = [aws_sns_topic.dr.arn]
  ok_actions          = [aws_sns_topic.dr.arn]

  tags = local.tags
}
