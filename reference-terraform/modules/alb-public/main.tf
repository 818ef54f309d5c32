locals {
  tags = merge(var.tags, { Module = "alb-public" })
}

# Only CloudFront may reach the ALB: its origin-facing prefix list is the
# sole source of HTTPS traffic. Route53 health checkers get a separate,
# narrow rule in a second security group (the prefix list alone already
# weighs about 55 rules against the per-group quota).
data "aws_ec2_managed_prefix_list" "cloudfront" {
  name = "com.amazonaws.global.cloudfront.origin-facing"
}

data "aws_ip_ranges" "route53_healthchecks" {
  services = ["route53_healthchecks"]
  regions  = var.health_checker_regions
}

data "aws_elb_service_account" "this" {}

# ---------------------------------------------------------------------------
# Access logs. ALB access logs support only SSE-S3 on the target bucket, so
# this bucket uses AES256; it is private, versioned and TLS-only.
# ---------------------------------------------------------------------------
resource "aws_s3_bucket" "access_logs" {
  bucket        = "${var.name}-alb-logs-${var.account_id}"
  force_destroy = false

  tags = local.tags
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_log_retention_days
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
data "aws_iam_policy_document" "access_logs" {
  statement {
    sid       = "ElbAccessLogDelivery"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.access_logs.arn}/*/AWSLogs/${var.account_id}/*"]

    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.this.arn]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.access_logs.arn, "${aws_s3_bucket.access_logs.arn}/*"]

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

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  policy = data.aws_iam_policy_document.access_logs.json

  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}

# ---------------------------------------------------------------------------
# Security groups
# ---------------------------------------------------------------------------
resource "aws_security_group" "cloudfront" {
  name        = "${var.name}-public-alb-cloudfront"
  description = "Public ALB: HTTPS from CloudFront origin-facing servers only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-public-alb-cloudfront" })
}

resource "aws_vpc_security_group_ingress_rule" "cloudfront_https" {
  security_group_id = aws_security_group.cloudfront.id
  description       = "HTTPS from CloudFront origin-facing servers"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = data.aws_ec2_managed_prefix_list.cloudfront.id
}

resource "aws_vpc_security_group_egress_rule" "cloudfront_to_targets" {
  security_group_id = aws_security_group.cloudfront.id
  description       = "To ECS targets inside the VPC"
  ip_protocol       = "tcp"
  from_port         = var.target_port
  to_port           = var.target_port
  cidr_ipv4         = var.vpc_cidr
}

resource "aws_security_group" "health_checks" {
  name        = "${var.name}-public-alb-healthchecks"
  description = "Public ALB: HTTPS from Route53 health checkers only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-public-alb-healthchecks" })
}

resource "aws_vpc_security_group_ingress_rule" "health_checks" {
  for_each = toset(data.aws_ip_ranges.route53_healthchecks.cidr_blocks)

  security_group_id = aws_security_group.health_checks.id
  description       = "HTTPS from Route53 health checkers"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_egress_rule" "health_checks_to_targets" {
  security_group_id = aws_security_group.health_checks.id
  description       = "To ECS targets inside the VPC"
  ip_protocol       = "tcp"
  from_port         = var.target_port
  to_port           = var.target_port
  cidr_ipv4         = var.vpc_cidr
}

# ---------------------------------------------------------------------------
# Load balancer
# ---------------------------------------------------------------------------
resource "aws_lb" "this" {
  name                       = "${var.name}-public"
  internal                   = false
  load_balancer_type         = "application"
  ip_address_type            = "ipv4"
  subnets                    = var.public_subnet_ids
  security_groups            = [aws_security_group.cloudfront.id, aws_security_group.health_checks.id]
  drop_invalid_header_fields = true
  enable_deletion_protection = true
  desync_mitigation_mode     = "strictest"
  enable_http2               = true
  idle_timeout               = 60
  xff_header_processing_mode = "append"

  access_logs {
    bucket  = aws_s3_bucket.access_logs.id
    prefix  = "public"
    enabled = true
  }

  tags = merge(local.tags, { Name = "${var.name}-public" })

  depends_on = [aws_s3_bucket_policy.access_logs]
}

# Blue and green target groups for CodeDeploy ECS blue/green deployments.
resource "aws_lb_target_group" "blue" {
  name                 = "${var.name}-blue"
  port                 = var.target_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    enabled             = true
    path                = var.health_check_path
    protocol            = "HTTP"
    matcher             = "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 3
    unhealthy_threshold = 2
  }

  tags = merge(local.tags, { Name = "${var.name}-blue" })
}

resource "aws_lb_target_group" "green" {
  name                 = "${var.name}-green"
  port                 = var.target_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    enabled             = true
    path                = var.health_check_path
    protocol            = "HTTP"
    matcher             = "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 3
    unhealthy_threshold = 2
  }

  tags = merge(local.tags, { Name = "${var.name}-green" })
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.blue.arn
  }

  tags = local.tags

  # CodeDeploy moves production traffic between blue and green; Terraform
  # must not move it back on the next apply.
  lifecycle {
    ignore_changes = [default_action]
  }
}

# Port 80 never serves content: it only redirects to HTTPS. The security
# groups do not even open it; the listener is defence in depth.
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }

  tags = local.tags
}

# Shield Advanced protection lives beside the ALB it protects, so the regional
# plan itself shows that every public ALB is protected. The subscription is an
# account-level prerequisite (see README).
resource "aws_shield_protection" "this" {
  name         = "${var.name}-public-alb"
  resource_arn = aws_lb.this.arn

  tags = local.tags
}

# Health-based detection: Shield Advanced tells an attack from a traffic spike
# by the health of what the ALB serves. The check is a Route 53 (global)
# resource, created here next to the protection because the ALB and its
# regional name exist only in the regions/ state; it probes the regional
# origin name like global/'s routing checks, but routes no record.
resource "aws_route53_health_check" "shield" {
  type              = "HTTPS"
  fqdn              = var.health_check_fqdn
  port              = 443
  resource_path     = var.health_check_path
  enable_sni        = true
  failure_threshold = 3
  request_interval  = 10
  measure_latency   = true
  regions           = var.health_checker_regions

  tags = merge(local.tags, { Name = "${var.name}-public-alb-shield" })
}

resource "aws_shield_protection_health_check_association" "this" {
  shield_protection_id = aws_shield_protection.this.id
  health_check_arn     = aws_route53_health_check.shield.arn
}

# ---------------------------------------------------------------------------
# Load balancer errors: 5xx answered by the ALB itself (no healthy target,
# target connection failures) in two consecutive minutes. The SLO alarms in
# modules/observability measure the error ratio; this one pages on the ALB.
# ---------------------------------------------------------------------------
resource "aws_cloudwatch_metric_alarm" "elb_5xx" {
  alarm_name          = "${var.name}-public-alb-5xx"
  alarm_description   = "The public ALB ${aws_lb.this.name} answered more than ${var.elb_5xx_threshold} 5xx itself per minute for 2 minutes"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_ELB_5XX_Count"
  dimensions          = { LoadBalancer = aws_lb.this.arn_suffix }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  threshold           = var.elb_5xx_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]

  tags = local.tags
}
