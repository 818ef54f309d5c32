variable "name" {
  description = "Name prefix of the rotation function and its role."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be lowercase letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "secret_name" {
  description = "Name of the secret."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_+=.@-]{1,512}$", var.secret_name))
    error_message = "secret_name contains characters Secrets Manager does not accept."
  }
}

variable "description" {
  description = "What the secret is for."
  type        = string
}

variable "account_id" {
  description = "AWS account id (confused-deputy conditions)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "region" {
  description = "Region of the secret."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the secret."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30
    error_message = "recovery_window_in_days must be between 7 and 30 (0 would delete immediately)."
  }
}

variable "rotation_days" {
  description = "Days between automatic rotations."
  type        = number
  default     = 30

  validation {
    condition     = var.rotation_days >= 1 && var.rotation_days <= 90
    error_message = "rotation_days must be between 1 and 90."
  }
}

variable "secret_length" {
  description = "Length of the generated secret value."
  type        = number
  default     = 64

  validation {
    condition     = var.secret_length >= 32 && var.secret_length <= 4096
    error_message = "secret_length must be between 32 and 4096."
  }
}

variable "vpc_id" {
  description = "VPC of the rotation function."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets of the rotation function."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "Spread the function over at least two private subnets."
  }
}

variable "lambda_artifact_bucket" {
  description = "Regional S3 bucket holding the Lambda deployment packages built by CI."
  type        = string
}

variable "rotation_lambda_s3_key" {
  description = "Object key of the rotation function package."
  type        = string
  default     = "lambda/secret-rotation.zip"
}

variable "log_retention_days" {
  description = "Retention of the rotation function's logs."
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
