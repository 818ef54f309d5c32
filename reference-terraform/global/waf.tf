locals {
  # Rule name => priority and AWS managed rule group, evaluated in priority
  # order around the rate limit (20): reputation first, then the baseline.
  waf_managed_rule_groups = {
    "aws-ip-reputation"    = { priority = 10, group = "AWSManagedRulesAmazonIpReputationList" }
    "aws-common"           = { priority = 30, group = "AWSManagedRulesCommonRuleSet" }
    "aws-known-bad-inputs" = { priority = 40, group = "AWSManagedRulesKnownBadInputsRuleSet" }
  }

  # Credentials never reach the WAF logs.
  waf_redacted_headers = ["authorization", "cookie"]
}

# WAFv2 web ACL of the CloudFront distribution: AWS managed rule groups plus a
# per-IP rate limit. Managed groups run with override_action none, so their
# own block actions apply.
resource "aws_wafv2_web_acl" "edge" {
  name        = "${var.name}-edge"
  description = "Edge protection of the ${var.name} CloudFront distribution"
  scope       = "CLOUDFRONT"

  default_action {
    allow {}
  }

  dynamic "rule" {
    for_each = local.waf_managed_rule_groups

    content {
      name     = rule.key
      priority = rule.value.priority

      override_action {
        none {}
      }

      statement {
        managed_rule_group_statement {
          vendor_name = "AWS"
          name        = rule.value.group
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = rule.key
        sampled_requests_enabled   = true
      }
    }
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 20

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit
        aggregate_key_type = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate-limit-per-ip"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-edge"
    sampled_requests_enabled   = true
  }

  tags = local.tags
}

# WAF requires the aws-waf-logs- prefix on its log destinations.
resource "aws_cloudwatch_log_group" "waf" {
  name              = "aws-waf-logs-${var.name}-edge"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.kms.key_arn

  tags = local.tags
}

resource "aws_wafv2_web_acl_logging_configuration" "edge" {
  resource_arn            = aws_wafv2_web_acl.edge.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]

  dynamic "redacted_fields" {
    for_each = local.waf_redacted_headers

    content {
      single_header {
        name = redacted_fields.value
      }
    }
  }
}
