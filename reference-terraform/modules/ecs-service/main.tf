locals {
  tags = merge(var.tags, { Module = "ecs-service" })

  # The containers receive their secrets by ARNs built from names, never from
  # other resources' computed attributes, so the task definitions are fully
  # known at plan time and a policy check reads every container setting.
  # Secrets Manager secrets are referenced through Parameter Store's
  # /aws/reference/secretsmanager/ path, whose full ARN needs no random suffix.
  app_secret_parameter_arn = "arn:aws:ssm:${var.region}:${var.account_id}:parameter/aws/reference/secretsmanager/${var.app_secret_name}"
  db_host_parameter_name   = "/${var.name}/app/db-host"
  db_host_parameter_arn    = "arn:aws:ssm:${var.region}:${var.account_id}:parameter${local.db_host_parameter_name}"

  # Images come from this region's ECR repositories (the container
  # definitions name them by reference), pinned by digest. The registry host
  # is built from names, not from the repositories' URLs, which are known
  # only after apply: so the container definitions stay known at plan time.
  registry = "${var.account_id}.dkr.ecr.${var.region}.amazonaws.com"
}

# ---------------------------------------------------------------------------
# Image repositories: tags cannot be moved to other images, every push is
# scanned, and layers are encrypted with the regional key. The primary
# region's registry replicates them into the other region (regions/).
# ---------------------------------------------------------------------------
resource "aws_ecr_repository" "this" {
  for_each = {
    api    = var.api_image_repository
    worker = var.worker_image_repository
  }

  name                 = each.value
  image_tag_mutability = "IMMUTABLE"
  force_delete         = false

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }

  tags = local.tags
}

# Cluster, services, task families and CodeDeploy names are the same in every
# region (var.app_name), so one service is recognisable across regions; IAM
# role names are account-global and carry the regional var.name.
resource "aws_ecs_cluster" "this" {
  name = var.app_name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = local.tags
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/ecs/${var.name}/api"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = local.tags
}

resource "aws_cloudwatch_log_group" "worker" {
  name              = "/ecs/${var.name}/worker"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = local.tags
}

# ---------------------------------------------------------------------------
# IAM
# ---------------------------------------------------------------------------
resource "aws_iam_role" "execution" {
  name = "${var.name}-ecs-execution"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# The execution role, not the application, reads the secrets and injects
# them: the application secret (through its Parameter Store reference) and the
# database endpoint parameter, and only this region's key.
# A policy document, not jsonencode: its statements stay known at plan time
# when a resource ARN is not, so a policy check can read them.
data "aws_iam_policy_document" "execution_secrets" {
  statement {
    effect    = "Allow"
    actions   = ["ssm:GetParameters"]
    resources = [local.app_secret_parameter_arn, aws_ssm_parameter.db_host.arn]
  }

  statement {
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.app_secret_arn]
  }

  statement {
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "read-app-secret"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

resource "aws_iam_role" "task" {
  name = "${var.name}-ecs-task"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })

  tags = local.tags
}

# Applications authenticate to Aurora with IAM tokens (no password anywhere)
# and use the DynamoDB global table of this region.
# A policy document, not jsonencode: its statements stay known at plan time
# when a resource ARN is not, so a policy check can read them.
data "aws_iam_policy_document" "task" {
  statement {
    effect = "Allow"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:Query",
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
    ]
    resources = [var.dynamodb_table_arn, "${var.dynamodb_table_arn}/index/*"]
  }

  statement {
    effect    = "Allow"
    actions   = ["rds-db:connect"]
    resources = ["arn:aws:rds-db:${var.region}:${var.account_id}:dbuser:${var.db_cluster_resource_id}/${var.db_iam_user}"]
  }

  statement {
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "app-data-access"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# ---------------------------------------------------------------------------
# Security groups: tasks accept traffic only from their load balancer.
# ---------------------------------------------------------------------------
resource "aws_security_group" "api" {
  name        = "${var.name}-api-tasks"
  description = "API tasks: traffic from the public ALB only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-api-tasks" })
}

resource "aws_vpc_security_group_ingress_rule" "api_from_alb" {
  security_group_id            = aws_security_group.api.id
  description                  = "From the public ALB"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = var.public_alb_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "api_https" {
  security_group_id = aws_security_group.api.id
  description       = "HTTPS to AWS APIs through the NAT gateways"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "api_postgres" {
  security_group_id = aws_security_group.api.id
  description       = "PostgreSQL to Aurora inside the VPC"
  ip_protocol       = "tcp"
  from_port         = var.db_port
  to_port           = var.db_port
  cidr_ipv4         = var.vpc_cidr
}

resource "aws_security_group" "worker" {
  name        = "${var.name}-worker-tasks"
  description = "Worker tasks: traffic from the internal ALB only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-worker-tasks" })
}

resource "aws_vpc_security_group_ingress_rule" "worker_from_alb" {
  security_group_id            = aws_security_group.worker.id
  description                  = "From the internal ALB"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = var.internal_alb_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "worker_https" {
  security_group_id = aws_security_group.worker.id
  description       = "HTTPS to AWS APIs through the NAT gateways"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "worker_postgres" {
  security_group_id = aws_security_group.worker.id
  description       = "PostgreSQL to Aurora inside the VPC"
  ip_protocol       = "tcp"
  from_port         = var.db_port
  to_port           = var.db_port
  cidr_ipv4         = var.vpc_cidr
}

# The Aurora writer endpoint of this region, injected into the tasks as a
# secret: it is known only after the cluster exists, and an environment value
# would leave the whole container definition unknown in the plan.
resource "aws_ssm_parameter" "db_host" {
  name        = local.db_host_parameter_name
  description = "Aurora writer endpoint of ${var.name}, injected into the tasks as DB_HOST"
  type        = "SecureString"
  key_id      = var.kms_key_arn
  tier        = "Standard"
  value       = var.db_endpoint

  tags = local.tags
}

# ---------------------------------------------------------------------------
# Task definitions: read-only root file system, unprivileged, non-root user,
# all Linux capabilities dropped, secrets injected from Secrets Manager and
# Parameter Store. Only non-secret configuration goes into `environment`.
# ---------------------------------------------------------------------------
resource "aws_ecs_task_definition" "api" {
  family                   = "${var.app_name}-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.api_cpu
  memory                   = var.api_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }

  # Scratch space for the read-only root file system.
  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name                   = "api"
      image                  = "${local.registry}/${aws_ecr_repository.this["api"].name}@${var.api_image_digest}"
      essential              = true
      readonlyRootFilesystem = true
      privileged             = false
      user                   = "10001:10001"
      portMappings = [
        { containerPort = var.container_port, protocol = "tcp" },
      ]
      environment = [
        { name = "DYNAMODB_TABLE", value = var.dynamodb_table_name },
        { name = "DB_PORT", value = tostring(var.db_port) },
        { name = "DB_NAME", value = var.db_name },
        { name = "DB_IAM_USER", value = var.db_iam_user },
      ]
      secrets = [
        { name = "APP_SIGNING_KEY", valueFrom = local.app_secret_parameter_arn },
        { name = "DB_HOST", valueFrom = local.db_host_parameter_arn },
      ]
      linuxParameters = {
        capabilities       = { drop = ["ALL"] }
        initProcessEnabled = true
      }
      mountPoints = [
        { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
      ]
      healthCheck = {
        command     = ["CMD", "/app/healthcheck"]
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = 30
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.api.name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = "api"
        }
      }
    },
  ])

  tags = local.tags
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "${var.app_name}-worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.worker_cpu
  memory                   = var.worker_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }

  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name                   = "worker"
      image                  = "${local.registry}/${aws_ecr_repository.this["worker"].name}@${var.worker_image_digest}"
      essential              = true
      readonlyRootFilesystem = true
      privileged             = false
      user                   = "10001:10001"
      portMappings = [
        { containerPort = var.container_port, protocol = "tcp" },
      ]
      environment = [
        { name = "DYNAMODB_TABLE", value = var.dynamodb_table_name },
        { name = "DB_PORT", value = tostring(var.db_port) },
        { name = "DB_NAME", value = var.db_name },
        { name = "DB_IAM_USER", value = var.db_iam_user },
      ]
      secrets = [
        { name = "APP_SIGNING_KEY", valueFrom = local.app_secret_parameter_arn },
        { name = "DB_HOST", valueFrom = local.db_host_parameter_arn },
      ]
      linuxParameters = {
        capabilities       = { drop = ["ALL"] }
        initProcessEnabled = true
      }
      mountPoints = [
        { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
      ]
      healthCheck = {
        command     = ["CMD", "/app/healthcheck"]
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = 30
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.worker.name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = "worker"
        }
      }
    },
  ])

  tags = local.tags
}

# ---------------------------------------------------------------------------
# API service: Fargate in private subnets, deployed blue/green by CodeDeploy.
# ---------------------------------------------------------------------------
resource "aws_ecs_service" "api" {
  name                              = "${var.app_name}-api"
  cluster                           = aws_ecs_cluster.this.id
  task_definition                   = aws_ecs_task_definition.api.arn
  launch_type                       = "FARGATE"
  platform_version                  = "1.4.0"
  scheduling_strategy               = "REPLICA"
  desired_count                     = var.api_min_count
  health_check_grace_period_seconds = 60
  enable_execute_command            = false
  enable_ecs_managed_tags           = true
  propagate_tags                    = "SERVICE"

  deployment_controller {
    type = "CODE_DEPLOY"
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.api.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.blue_target_group_arn
    container_name   = "api"
    container_port   = var.container_port
  }

  tags = local.tags

  # CodeDeploy owns the running task definition and target group after the
  # first deployment; Application Auto Scaling owns the desired count.
  lifecycle {
    ignore_changes = [task_definition, load_balancer, desired_count]
  }

  depends_on = [aws_iam_role_policy.execution_secrets, aws_ssm_parameter.db_host]
}

resource "aws_appautoscaling_target" "api" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.api.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.api_min_count
  max_capacity       = var.api_max_count
}

resource "aws_appautoscaling_policy" "api_cpu" {
  name               = "${var.app_name}-api-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.api.service_namespace
  resource_id        = aws_appautoscaling_target.api.resource_id
  scalable_dimension = aws_appautoscaling_target.api.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = 60
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_codedeploy_app" "this" {
  name             = "${var.app_name}-api"
  compute_platform = "ECS"

  tags = local.tags
}

resource "aws_iam_role" "codedeploy" {
  name = "${var.name}-codedeploy"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "codedeploy.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "codedeploy" {
  role       = aws_iam_role.codedeploy.name
  policy_arn = "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"
}

resource "aws_codedeploy_deployment_group" "api" {
  app_name               = aws_codedeploy_app.this.name
  deployment_group_name  = "${var.app_name}-api"
  service_role_arn       = aws_iam_role.codedeploy.arn
  deployment_config_name = var.deployment_config_name

  deployment_style {
    deployment_option = "WITH_TRAFFIC_CONTROL"
    deployment_type   = "BLUE_GREEN"
  }

  blue_green_deployment_config {
    deployment_ready_option {
      action_on_timeout = "CONTINUE_DEPLOYMENT"
    }

    terminate_blue_instances_on_deployment_success {
      action                           = "TERMINATE"
      termination_wait_time_in_minutes = 30
    }
  }

  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
  }

  alarm_configuration {
    enabled                   = true
    alarms                    = var.rollback_alarm_names
    ignore_poll_alarm_failure = false
  }

  ecs_service {
    cluster_name = aws_ecs_cluster.this.name
    service_name = aws_ecs_service.api.name
  }

  load_balancer_info {
    target_group_pair_info {
      prod_traffic_route {
        listener_arns = [var.https_listener_arn]
      }

      target_group {
        name = var.blue_target_group_name
      }

      target_group {
        name = var.green_target_group_name
      }
    }
  }

  tags = local.tags

  depends_on = [aws_iam_role_policy_attachment.codedeploy]
}

# ---------------------------------------------------------------------------
# Worker service: Fargate in private subnets behind the internal ALB, rolling
# deployments by ECS with the circuit breaker and alarm-based rollback.
# ---------------------------------------------------------------------------
resource "aws_ecs_service" "worker" {
  name                               = "${var.app_name}-worker"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.worker.arn
  launch_type                        = "FARGATE"
  platform_version                   = "1.4.0"
  scheduling_strategy                = "REPLICA"
  desired_count                      = var.worker_count
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 60
  enable_execute_command             = false
  enable_ecs_managed_tags            = true
  propagate_tags                     = "SERVICE"

  deployment_controller {
    type = "ECS"
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  alarms {
    alarm_names = var.rollback_alarm_names
    enable      = true
    rollback    = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.worker.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.worker_target_group_arn
    container_name   = "worker"
    container_port   = var.container_port
  }

  tags = local.tags

  depends_on = [aws_iam_role_policy.execution_secrets, aws_ssm_parameter.db_host]
}
