locals {
  tags = merge(var.tags, { Module = "observability" })

  # Metric query id => ALB metric: the terms of the alarms' expressions.
  alb_metrics = {
    requests  = "RequestCount"
    elb5xx    = "HTTPCode_ELB_5XX_Count"
    target5xx = "HTTPCode_Target_5XX_Count"
  }
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = var.kms_key_arn

  tags = local.tags
}

resource "aws_sns_topic_policy" "alarms" {
  arn = aws_sns_topic.alarms.arn

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AlarmsAndBackupNotifications"
      Effect    = "Allow"
      Principal = { Service = ["cloudwatch.amazonaws.com", "backup.amazonaws.com"] }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.alarms.arn
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

# ---------------------------------------------------------------------------
# Availability SLO (default 99.95%) measured at the public ALB: a request is
# bad when the ALB or the target answers 5xx.
# ---------------------------------------------------------------------------
resource "aws_cloudwatch_metric_alarm" "availability" {
  alarm_name          = "${var.name}-slo-availability"
  alarm_description   = "Availability below the ${var.slo_target}% SLO for 15 minutes"
  comparison_operator = "LessThanThreshold"
  threshold           = var.slo_target
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "availability"
    expression  = "IF(requests > 0, 100 * (1 - (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests), 100)"
    label       = "Availability (%)"
    return_data = true
  }

  # The inputs of the expression: ALB metrics over 300 seconds.
  dynamic "metric_query" {
    for_each = local.alb_metrics

    content {
      id = metric_query.key

      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = metric_query.value
        dimensions  = { LoadBalancer = var.alb_arn_suffix }
        period      = 300
        stat        = "Sum"
      }
    }
  }

  tags = local.tags
}

# Error-budget burn rate. With a 99.95% SLO the budget is 0.05% of requests;
# burning at 14.4x for 1 hour spends 2% of a 30-day budget (page now), at 6x
# for 6 hours 5% (act today).
resource "aws_cloudwatch_metric_alarm" "burn_rate_fast" {
  alarm_name          = "${var.name}-slo-burn-fast"
  alarm_description   = "Error budget burning at ${var.fast_burn_rate}x over 1 hour"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.fast_burn_rate * (100 - var.slo_target) / 100
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "error_ratio"
    expression  = "IF(requests > 0, (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)"
    label       = "Error ratio (1h)"
    return_data = true
  }

  # The inputs of the expression: ALB metrics over 3600 seconds.
  dynamic "metric_query" {
    for_each = local.alb_metrics

    content {
      id = metric_query.key

      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = metric_query.value
        dimensions  = { LoadBalancer = var.alb_arn_suffix }
        period      = 3600
        stat        = "Sum"
      }
    }
  }

  tags = local.tags
}

resource "aws_cloudwatch_metric_alarm" "burn_rate_slow" {
  alarm_name          = "${var.name}-slo-burn-slow"
  alarm_description   = "Error budget burning at ${var.slow_burn_rate}x over 6 hours"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.slow_burn_rate * (100 - var.slo_target) / 100
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "error_ratio"
    expression  = "IF(requests > 0, (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)"
    label       = "Error ratio (6h)"
    return_data = true
  }

  # The inputs of the expression: ALB metrics over 21600 seconds.
  dynamic "metric_query" {
    for_each = local.alb_metrics

    content {
      id = metric_query.key

      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = metric_query.value
        dimensions  = { LoadBalancer = var.alb_arn_suffix }
        period      = 21600
        stat        = "Sum"
      }
    }
  }

  tags = local.tags
}

# Fast signal for deployments and chaos experiments: target 5xx ratio above
# 1% in two consecutive minutes.
resource "aws_cloudwatch_metric_alarm" "target_errors" {
  alarm_name          = "${var.name}-target-5xx"
  alarm_description   = "Target 5xx ratio above ${var.deployment_error_ratio * 100}% for 2 minutes (deployment and chaos guard)"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.deployment_error_ratio
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "error_ratio"
    expression  = "IF(requests > 0, FILL(target5xx, 0) / requests, 0)"
    label       = "Target 5xx ratio (1m)"
    return_data = true
  }

  # The inputs of the expression: ALB metrics over 60 seconds.
  dynamic "metric_query" {
    for_each = { for id, metric in local.alb_metrics : id => metric if id != "elb5xx" }

    content {
      id = metric_query.key

      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = metric_query.value
        dimensions  = { LoadBalancer = var.alb_arn_suffix }
        period      = 60
        stat        = "Sum"
      }
    }
  }

  tags = local.tags
}
