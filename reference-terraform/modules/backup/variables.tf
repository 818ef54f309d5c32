variable "name" {
  description = "Name prefix of the vault, plan and role."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be lowercase letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the vault."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "copy_destination_vault_arn" {
  description = "Vault in the other region that receives a copy of every recovery point."
  type        = string
}

variable "aurora_cluster_arn" {
  description = "Aurora cluster of this region to back up."
  type        = string
}

variable "dynamodb_table_arn" {
  description = "DynamoDB table (or replica) of this region to back up."
  type        = string
}

variable "notification_topic_arn" {
  description = "SNS topic for failed backup and copy jobs."
  type        = string
}

variable "schedule" {
  description = "Backup schedule (AWS cron expression, UTC)."
  type        = string
  default     = "cron(0 5 * * ? *)"

  validation {
    condition     = can(regex("^cron\\(.+\\)$", var.schedule))
    error_message = "schedule must be a cron(...) expression."
  }
}

variable "retention_days" {
  description = "Days to keep recovery points in this region's vault (within the vault lock's bounds)."
  type        = number
  default     = 35

  validation {
    condition     = var.retention_days >= 35 && var.retention_days <= 365
    error_message = "retention_days must be between 35 and 365 (vault lock bounds 7-365)."
  }
}

variable "copy_retention_days" {
  description = "Days to keep the cross-region copies."
  type        = number
  default     = 35

  validation {
    condition     = var.copy_retention_days >= 35 && var.copy_retention_days <= 365
    error_message = "copy_retention_days must be between 35 and 365 (vault lock bounds 7-365)."
  }
}

variable "tags" {
  description = "Tags added to every resource and recovery point."
  type        = map(string)
  default     = {}
}
