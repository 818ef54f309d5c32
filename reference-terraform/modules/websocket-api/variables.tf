variable "name" {
  description = "Name prefix of the API, functions and roles."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be lowercase letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
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
  description = "Region of the API."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "vpc_id" {
  description = "VPC of the Lambda functions."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets of the Lambda functions."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "Spread the functions over at least two private subnets."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key (Lambda environment, log groups)."
  type        = string
}

variable "dynamodb_table_name" {
  description = "Connections table (the region's copy of the global table)."
  type        = string
}

variable "dynamodb_table_arn" {
  description = "ARN of the region's copy of the global table."
  type        = string
}

variable "lambda_artifact_bucket" {
  description = "Regional S3 bucket holding the Lambda deployment packages built by CI."
  type        = string
}

variable "handlers_s3_key" {
  description = "Object key of the connect/disconnect/default handlers package."
  type        = string
  default     = "lambda/websocket-handlers.zip"
}

variable "authorizer_s3_key" {
  description = "Object key of the authorizer package."
  type        = string
  default     = "lambda/websocket-authorizer.zip"
}

variable "lambda_runtime" {
  description = "Lambda runtime of the functions."
  type        = string
  default     = "nodejs20.x"

  validation {
    condition     = contains(["nodejs20.x", "nodejs22.x"], var.lambda_runtime)
    error_message = "lambda_runtime must be a supported Node.js runtime."
  }
}

variable "handler_reserved_concurrency" {
  description = "Reserved concurrency of each route handler."
  type        = number
  default     = 200

  validation {
    condition     = var.handler_reserved_concurrency >= 1
    error_message = "handler_reserved_concurrency must be at least 1."
  }
}

variable "authorizer_reserved_concurrency" {
  description = "Reserved concurrency of the authorizer."
  type        = number
  default     = 100

  validation {
    condition     = var.authorizer_reserved_concurrency >= 1
    error_message = "authorizer_reserved_concurrency must be at least 1."
  }
}

variable "jwt_issuer" {
  description = "Issuer the authorizer accepts tokens from."
  type        = string

  validation {
    condition     = startswith(var.jwt_issuer, "https://")
    error_message = "jwt_issuer must be an https:// URL."
  }
}

variable "jwt_audience" {
  description = "Audience the authorizer requires in tokens."
  type        = string
}

variable "stage_name" {
  description = "Stage name."
  type        = string
  default     = "live"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,64}$", var.stage_name))
    error_message = "stage_name must be 1-64 characters of [a-zA-Z0-9_-]."
  }
}

variable "throttling_burst_limit" {
  description = "Default route burst limit (requests)."
  type        = number
  default     = 500

  validation {
    condition     = var.throttling_burst_limit >= 1 && var.throttling_burst_limit <= 5000
    error_message = "throttling_burst_limit must be between 1 and 5000."
  }
}

variable "throttling_rate_limit" {
  description = "Default route steady-state rate limit (requests per second)."
  type        = number
  default     = 1000

  validation {
    condition     = var.throttling_rate_limit >= 1 && var.throttling_rate_limit <= 10000
    error_message = "throttling_rate_limit must be between 1 and 10000."
  }
}

variable "domain_name" {
  description = "Custom domain the API is served on (the same in every region)."
  type        = string
}

variable "certificate_arn" {
  description = "Issued regional ACM certificate covering domain_name."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of function and access logs."
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
