variable "name" {
  description = "Name prefix of the templates and role."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be lowercase letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "account_id" {
  description = "AWS account id (trust-policy condition)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key of the experiment log group."
  type        = string
}

variable "ecs_cluster_name" {
  description = "ECS cluster of the task-stop experiment."
  type        = string
}

variable "ecs_service_name" {
  description = "ECS service of the task-stop experiment."
  type        = string
}

variable "az_subnet_arns" {
  description = "Subnets of the single availability zone to disrupt."
  type        = list(string)

  validation {
    condition     = length(var.az_subnet_arns) >= 1
    error_message = "az_subnet_arns must name at least one subnet."
  }
}

variable "az_disruption_duration" {
  description = "ISO 8601 duration of the AZ disruption."
  type        = string
  default     = "PT10M"

  validation {
    condition     = can(regex("^PT([1-9]|[1-5][0-9])M$", var.az_disruption_duration))
    error_message = "az_disruption_duration must be between PT1M and PT59M."
  }
}

variable "stop_alarm_arn" {
  description = "CloudWatch alarm that stops every experiment when it fires."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of experiment logs."
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
