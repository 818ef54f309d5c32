variable "name" {
  description = "Key name; the alias becomes alias/<name>."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,200}$", var.name)) && !startswith(var.name, "aws/")
    error_message = "name must be 1-200 characters of [a-zA-Z0-9/_-] and must not start with aws/."
  }
}

variable "description" {
  description = "What the key protects."
  type        = string
}

variable "account_id" {
  description = "AWS account that owns the key."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "region" {
  description = "Region of the key; scopes the CloudWatch Logs grant."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "rotation_period_in_days" {
  description = "Days between automatic key rotations."
  type        = number
  default     = 365

  validation {
    condition     = var.rotation_period_in_days >= 90 && var.rotation_period_in_days <= 2560
    error_message = "rotation_period_in_days must be between 90 and 2560."
  }
}

variable "cloudtrail_trail_arn" {
  description = "ARN of a CloudTrail trail whose log files this key encrypts; null for none."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
