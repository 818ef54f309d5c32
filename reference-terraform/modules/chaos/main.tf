locals {
  tags = merge(var.tags, { Module = "chaos" })
}

resource "aws_iam_role" "fis" {
  name = "${var.name}-fis"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "fis.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "fis_ecs" {
  role       = aws_iam_role.fis.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSFaultInjectionSimulatorECSAccess"
}

resource "aws_iam_role_policy_attachment" "fis_network" {
  role       = aws_iam_role.fis.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSFaultInjectionSimulatorNetworkAccess"
}

# FIS delivers experiment logs as vended logs.
resource "aws_iam_role_policy" "fis_logs" {
  name = "experiment-logs"
  role = aws_iam_role.fis.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = [
        "logs:CreateLogDelivery",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ]
      Resource = "*"
    }]
  })
}

resource "aws_cloudwatch_log_group" "fis" {
  name              = "/aws/fis/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = local.tags
}

# Stops a third of the API tasks: proves that the service, the ALB and the
# auto scaling recover without breaching the SLO.
resource "aws_fis_experiment_template" "ecs_task_stop" {
  description = "Stop 33% of the ${var.ecs_service_name} tasks"
  role_arn    = aws_iam_role.fis.arn

  action {
    name        = "stop-api-tasks"
    action_id   = "aws:ecs:stop-task"
    description = "Stop a third of the API tasks"

    target {
      key   = "Tasks"
      value = "api-tasks"
    }
  }

  target {
    name           = "api-tasks"
    resource_type  = "aws:ecs:task"
    selection_mode = "PERCENT(33)"
    parameters = {
      cluster = var.ecs_cluster_name
      service = var.ecs_service_name
    }
  }

  stop_condition {
    source = "aws:cloudwatch:alarm"
    value  = var.stop_alarm_arn
  }

  experiment_options {
    account_targeting            = "single-account"
    empty_target_resolution_mode = "fail"
  }

  log_configuration {
    log_schema_version = 2

    cloudwatch_logs_configuration {
      log_group_arn = "${aws_cloudwatch_log_group.fis.arn}:*"
    }
  }

  tags = merge(local.tags, { Name = "${var.name}-ecs-task-stop" })

  depends_on = [aws_iam_role_policy.fis_logs]
}

# Cuts all network traffic of the private subnets of one availability zone
# for ten minutes: the ALBs, ECS and Aurora must fail over to the other AZs.
resource "aws_fis_experiment_template" "az_network_disruption" {
  description = "Disrupt connectivity of the private subnets of one availability zone"
  role_arn    = aws_iam_role.fis.arn

  action {
    name        = "disrupt-az"
    action_id   = "aws:network:disrupt-connectivity"
    description = "Deny all traffic in and out of the target subnets"

    parameter {
      key   = "duration"
      value = var.az_disruption_duration
    }

    parameter {
      key   = "scope"
      value = "all"
    }

    target {
      key   = "Subnets"
      value = "az-subnets"
    }
  }

  target {
    name           = "az-subnets"
    resource_type  = "aws:ec2:subnet"
    selection_mode = "ALL"
    resource_arns  = var.az_subnet_arns
  }

  stop_condition {
    source = "aws:cloudwatch:alarm"
    value  = var.stop_alarm_arn
  }

  experiment_options {
    account_targeting            = "single-account"
    empty_target_resolution_mode = "fail"
  }

  log_configuration {
    log_schema_version = 2

    cloudwatch_logs_configuration {
      log_group_arn = "${aws_cloudwatch_log_group.fis.arn}:*"
    }
  }

  tags = merge(local.tags, { Name = "${var.name}-az-network-disruption" })

  depends_on = [aws_iam_role_policy.fis_logs]
}
