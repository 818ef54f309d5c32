variable "name" {
  description = "Regional name prefix for IAM roles, security groups and log groups."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be lowercase letters, digits and hyphens, 2-31 characters, starting with a letter."
  }
}

variable "app_name" {
  description = "Application name, identical in every region: cluster, services, task families, CodeDeploy."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.app_name))
    error_message = "app_name must be lowercase letters, digits and hyphens, 2-31 characters, starting with a letter."
  }
}

variable "account_id" {
  description = "AWS account id (trust-policy conditions, rds-db ARN)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "region" {
  description = "Region of the services (awslogs driver, rds-db ARN)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "vpc_id" {
  description = "VPC of the services."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC (database egress)."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr must be a valid IPv4 CIDR block."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets the tasks run in; never public subnets."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "Tasks must be spread over at least two private subnets."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key (log groups, secret decryption)."
  type        = string
}

variable "api_image_repository" {
  description = "Name of the ECR repository of the API image (created here, in this region)."
  type        = string
}

variable "api_image_digest" {
  description = "Digest of the API image to run: images are pinned by digest, never by tag."
  type        = string

  validation {
    condition     = can(regex("^sha256:[a-f0-9]{64}$", var.api_image_digest))
    error_message = "api_image_digest must be sha256:<64 hex digits>."
  }
}

variable "worker_image_repository" {
  description = "Name of the ECR repository of the worker image (created here, in this region)."
  type        = string
}

variable "worker_image_digest" {
  description = "Digest of the worker image to run: images are pinned by digest, never by tag."
  type        = string

  validation {
    condition     = can(regex("^sha256:[a-f0-9]{64}$", var.worker_image_digest))
    error_message = "worker_image_digest must be sha256:<64 hex digits>."
  }
}

variable "container_port" {
  description = "Port the containers listen on."
  type        = number
  default     = 8080

  validation {
    condition     = var.container_port >= 1024 && var.container_port <= 65535
    error_message = "container_port must be an unprivileged port (1024-65535)."
  }
}

variable "api_cpu" {
  description = "Fargate CPU units of an API task."
  type        = number
  default     = 1024

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.api_cpu)
    error_message = "api_cpu must be a Fargate CPU size."
  }
}

variable "api_memory" {
  description = "Memory (MiB) of an API task."
  type        = number
  default     = 2048
}

variable "worker_cpu" {
  description = "Fargate CPU units of a worker task."
  type        = number
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.worker_cpu)
    error_message = "worker_cpu must be a Fargate CPU size."
  }
}

variable "worker_memory" {
  description = "Memory (MiB) of a worker task."
  type        = number
  default     = 1024
}

variable "api_min_count" {
  description = "Minimum API tasks (at least one per AZ)."
  type        = number
  default     = 3

  validation {
    condition     = var.api_min_count >= 3
    error_message = "api_min_count must be at least 3 so every AZ runs a task."
  }
}

variable "api_max_count" {
  description = "Maximum API tasks."
  type        = number
  default     = 30
}

variable "worker_count" {
  description = "Number of worker tasks."
  type        = number
  default     = 3

  validation {
    condition     = var.worker_count >= 2
    error_message = "worker_count must be at least 2."
  }
}

variable "public_alb_security_group_id" {
  description = "Security group of the public ALB (only source of API task traffic)."
  type        = string
}

variable "internal_alb_security_group_id" {
  description = "Security group of the internal ALB (only source of worker task traffic)."
  type        = string
}

variable "blue_target_group_arn" {
  description = "Blue target group ARN (initial production target group)."
  type        = string
}

variable "blue_target_group_name" {
  description = "Blue target group name."
  type        = string
}

variable "green_target_group_name" {
  description = "Green target group name."
  type        = string
}

variable "https_listener_arn" {
  description = "HTTPS listener ARN of the public ALB (production traffic route)."
  type        = string
}

variable "worker_target_group_arn" {
  description = "Target group of the worker service on the internal ALB."
  type        = string
}

variable "deployment_config_name" {
  description = "CodeDeploy ECS deployment configuration."
  type        = string
  default     = "CodeDeployDefault.ECSCanary10Percent5Minutes"

  validation {
    condition     = can(regex("^CodeDeployDefault\\.ECS(Canary|Linear)", var.deployment_config_name))
    error_message = "deployment_config_name must be a canary or linear ECS configuration (never all-at-once)."
  }
}

variable "rollback_alarm_names" {
  description = "CloudWatch alarms that stop and roll back a deployment."
  type        = list(string)

  validation {
    condition     = length(var.rollback_alarm_names) >= 1
    error_message = "At least one rollback alarm is required."
  }
}

variable "app_secret_arn" {
  description = "ARN of the Secrets Manager secret injected into the containers as APP_SIGNING_KEY (IAM policy)."
  type        = string
}

variable "app_secret_name" {
  description = "Name of that secret; the containers reference it by a name-based ARN known at plan time."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_+=.@-]{1,512}$", var.app_secret_name))
    error_message = "app_secret_name must be a Secrets Manager secret name."
  }
}

variable "dynamodb_table_name" {
  description = "DynamoDB table of this region (the global table or its replica)."
  type        = string
}

variable "dynamodb_table_arn" {
  description = "ARN of the DynamoDB table of this region."
  type        = string
}

variable "db_endpoint" {
  description = "Aurora cluster endpoint of this region (stored in a SecureString parameter, injected as DB_HOST)."
  type        = string
}

variable "db_port" {
  description = "Aurora port."
  type        = number
  default     = 5432
}

variable "db_name" {
  description = "Database name."
  type        = string
}

variable "db_iam_user" {
  description = "Database user the tasks log in as with IAM authentication."
  type        = string
  default     = "app"

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]{0,62}$", var.db_iam_user))
    error_message = "db_iam_user must be a valid PostgreSQL role name."
  }
}

variable "db_cluster_resource_id" {
  description = "Aurora cluster resource id (for the rds-db:connect permission)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of container logs."
  type        = number
  default     = 365

  validation {
    condition     = var.log_retention_days >= 365
    error_message = "log_retention_days must be at least 365: a year of logs for investigations."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
