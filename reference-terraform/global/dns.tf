resource "aws_route53_zone" "public" {
  name          = var.domain_name
  comment       = "Public zone of ${var.name}"
  force_destroy = false

  tags = local.tags

  lifecycle {
    prevent_destroy = true
  }
}

# DNS query logging of the public zone. Route 53 delivers query logs only to
# a log group in us-east-1 whose name starts with /aws/route53/, and only
# where a resource policy lets route53.amazonaws.com write to it.
resource "aws_cloudwatch_log_group" "dns_queries" {
  name              = "/aws/route53/${var.domain_name}"
  retention_in_days = var.audit_log_retention_days
  kms_key_id        = module.kms.key_arn

  tags = local.tags
}

resource "aws_cloudwatch_log_resource_policy" "dns_queries" {
  policy_name = "${var.name}-route53-query-logs"

  policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Route53QueryLogs"
      Effect    = "Allow"
      Principal = { Service = "route53.amazonaws.com" }
      Action    = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource  = "${aws_cloudwatch_log_group.dns_queries.arn}:*"
      Condition = {
        StringEquals = { "aws:SourceAccount" = var.account_id }
        ArnLike      = { "aws:SourceArn" = aws_route53_zone.public.arn }
      }
    }]
  })
}

resource "aws_route53_query_log" "public" {
  zone_id                  = aws_route53_zone.public.zone_id
  cloudwatch_log_group_arn = aws_cloudwatch_log_group.dns_queries.arn

  depends_on = [aws_cloudwatch_log_resource_policy.dns_queries]
}

# Only Amazon may issue certificates for the domain.
resource "aws_route53_record" "caa" {
  zone_id = aws_route53_zone.public.zone_id
  name    = var.domain_name
  type    = "CAA"
  ttl     = 3600
  records = [
    "0 issue \"amazon.com\"",
    "0 issuewild \";\"",
  ]
}

resource "aws_route53_record" "apex_a" {
  zone_id = aws_route53_zone.public.zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = aws_cloudfront_distribution.main.domain_name
    zone_id                = aws_cloudfront_distribution.main.hosted_zone_id
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "apex_aaaa" {
  zone_id = aws_route53_zone.public.zone_id
  name    = var.domain_name
  type    = "AAAA"

  alias {
    name                   = aws_cloudfront_distribution.main.domain_name
    zone_id                = aws_cloudfront_distribution.main.hosted_zone_id
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "www_a" {
  zone_id = aws_route53_zone.public.zone_id
  name    = "www.${var.domain_name}"
  type    = "A"

  alias {
    name                   = aws_cloudfront_distribution.main.domain_name
    zone_id                = aws_cloudfront_distribution.main.hosted_zone_id
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "www_aaaa" {
  zone_id = aws_route53_zone.public.zone_id
  name    = "www.${var.domain_name}"
  type    = "AAAA"

  alias {
    name                   = aws_cloudfront_distribution.main.domain_name
    zone_id                = aws_cloudfront_distribution.main.hosted_zone_id
    evaluate_target_health = false
  }
}

# ---------------------------------------------------------------------------
# Health checks of the regional origins: HTTPS to /healthz every 10 seconds
# from several checker regions; 3 failures in a row (about 30 s) mark a
# region unhealthy.
# ---------------------------------------------------------------------------
resource "aws_route53_health_check" "primary" {
  type              = "HTTPS"
  fqdn              = local.primary_origin
  port              = 443
  resource_path     = var.health_check_path
  enable_sni        = true
  failure_threshold = 3
  request_interval  = 10
  measure_latency   = true
  regions           = var.health_check_regions

  tags = merge(local.tags, { Name = "${var.name}-${var.primary_region}" })
}

resource "aws_route53_health_check" "secondary" {
  type              = "HTTPS"
  fqdn              = local.secondary_origin
  port              = 443
  resource_path     = var.health_check_path
  enable_sni        = true
  failure_threshold = 3
  request_interval  = 10
  measure_latency   = true
  regions           = var.health_check_regions

  tags = merge(local.tags, { Name = "${var.name}-${var.secondary_region}" })
}

# Health of the edge as a whole: healthy while at least one region is. It
# aggregates the two endpoint checks above and only feeds Shield Advanced's
# health-based detection; it routes no record.
resource "aws_route53_health_check" "edge" {
  type                   = "CALCULATED"
  child_healthchecks     = [aws_route53_health_check.primary.id, aws_route53_health_check.secondary.id]
  child_health_threshold = 1

  tags = merge(local.tags, { Name = "${var.name}-edge" })
}

# Active-passive: origin.<domain> answers with the primary region while it is
# healthy and with the secondary otherwise. CloudFront uses this name.
resource "aws_route53_record" "origin_primary" {
  zone_id         = aws_route53_zone.public.zone_id
  name            = "origin.${var.domain_name}"
  type            = "CNAME"
  ttl             = 60
  records         = [local.primary_origin]
  set_identifier  = var.primary_region
  health_check_id = aws_route53_health_check.primary.id

  failover_routing_policy {
    type = "PRIMARY"
  }
}

resource "aws_route53_record" "origin_secondary" {
  zone_id         = aws_route53_zone.public.zone_id
  name            = "origin.${var.domain_name}"
  type            = "CNAME"
  ttl             = 60
  records         = [local.secondary_origin]
  set_identifier  = var.secondary_region
  health_check_id = aws_route53_health_check.secondary.id

  failover_routing_policy {
    type = "SECONDARY"
  }
}

# WebSocket clients connect to the closest healthy region; connection state
# is in the DynamoDB global table, so either region can serve a reconnect.
resource "aws_route53_record" "ws_primary" {
  zone_id         = aws_route53_zone.public.zone_id
  name            = "ws.${var.domain_name}"
  type            = "CNAME"
  ttl             = 60
  records         = ["ws-${var.primary_region}.${var.domain_name}"]
  set_identifier  = var.primary_region
  health_check_id = aws_route53_health_check.primary.id

  latency_routing_policy {
    region = var.primary_region
  }
}

resource "aws_route53_record" "ws_secondary" {
  zone_id         = aws_route53_zone.public.zone_id
  name            = "ws.${var.domain_name}"
  type            = "CNAME"
  ttl             = 60
  records         = ["ws-${var.secondary_region}.${var.domain_name}"]
  set_identifier  = var.secondary_region
  health_check_id = aws_route53_health_check.secondary.id

  latency_routing_policy {
    region = var.secondary_region
  }
}
