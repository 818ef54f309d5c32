variable "function_name" {
  description = "Name of the function; its log group is /aws/lambda/<function_name>."
  type        = string
}

variable "description" {
  description = "What the function does."
  type        = string
}

variable "role_arn" {
  description = "Execution role of the function (the caller grants what it needs)."
  type        = string
}

variable "runtime" {
  description = "Lambda runtime."
  type        = string
}

variable "handler" {
  description = "Entry point in the package (file.function)."
  type        = string
}

variable "s3_bucket" {
  description = "S3 bucket of the function package."
  type        = string
}

variable "s3_key" {
  description = "Object key of the function package."
  type        = string
}

variable "timeout" {
  description = "Timeout in seconds."
  type        = number

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900
    error_message = "timeout must be between 1 and 900 seconds."
  }
}

variable "memory_size" {
  description = "Memory in MB."
  type        = number
  default     = 256
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions: a ceiling for this function and a floor nothing else can take."
  type        = number

  validation {
    condition     = var.reserved_concurrency >= 1
    error_message = "reserved_concurrency must be at least 1 (0 would disable the function, unset would leave it unbounded)."
  }
}

variable "environment" {
  description = "Environment variables (non-secret configuration only; encrypted with kms_key_arn)."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "Customer-managed key of the environment and the log group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the function."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the function."
  type        = list(string)
}

variable "log_retention_days" {
  description = "Retention of the function's logs."
  type        = number
  default     = 365

  validation {
    condition     = var.log_retention_days >= 365
    error_message = "log_retention_days must be at least 365: a year of logs for investigations."
  }
}

variable "tags" {
  description = "Tags of the function and its log group."
  type        = map(string)
  default     = {}
}
