variable "name" {
  description = "Name prefix of the topic and alarms."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be lowercase letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "account_id" {
  description = "AWS account id (topic policy condition)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key of the SNS topic."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the public ALB the SLO is measured on."
  type        = string
}

variable "slo_target" {
  description = "Availability target in percent."
  type        = number
  default     = 99.95

  validation {
    condition     = var.slo_target >= 99 && var.slo_target < 100
    error_message = "slo_target must be at least 99 and below 100."
  }
}

variable "fast_burn_rate" {
  description = "Burn-rate factor of the 1-hour page alarm."
  type        = number
  default     = 14.4

  validation {
    condition     = var.fast_burn_rate > 1
    error_message = "fast_burn_rate must be above 1."
  }
}

variable "slow_burn_rate" {
  description = "Burn-rate factor of the 6-hour alarm."
  type        = number
  default     = 6

  validation {
    condition     = var.slow_burn_rate > 1
    error_message = "slow_burn_rate must be above 1."
  }
}

variable "deployment_error_ratio" {
  description = "Target 5xx ratio that stops a deployment or a chaos experiment."
  type        = number
  default     = 0.01

  validation {
    condition     = var.deployment_error_ratio > 0 && var.deployment_error_ratio < 1
    error_message = "deployment_error_ratio must be between 0 and 1."
  }
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the alarm topic."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alarm_emails must contain e-mail addresses."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
