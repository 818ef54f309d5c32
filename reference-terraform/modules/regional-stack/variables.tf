variable "name" {
  description = "Platform name prefix; the region code is appended for regional resources."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,9}$", var.name))
    error_message = "name must be 2-10 lowercase letters, digits or hyphens (ALB names are limited to 32 characters)."
  }
}

variable "account_id" {
  description = "AWS account id."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "domain_name" {
  description = "Apex domain of the platform (the public hosted zone created in global/)."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name without a trailing dot."
  }
}

variable "public_zone_id" {
  description = "Id of the public hosted zone (output public_zone_id of global/)."
  type        = string

  validation {
    condition     = can(regex("^Z[A-Z0-9]{1,31}$", var.public_zone_id))
    error_message = "public_zone_id must be a Route53 hosted zone id."
  }
}

variable "vpc_cidr" {
  description = "CIDR of this region's VPC (must not overlap the other region's)."
  type        = string
}

variable "availability_zones" {
  description = "Three availability zones of this region."
  type        = list(string)
}

variable "health_checker_regions" {
  description = "Route53 health checker regions (same list as global/)."
  type        = list(string)
}

variable "container_port" {
  description = "Port the containers listen on."
  type        = number
  default     = 8080
}

variable "aurora_global_cluster_identifier" {
  description = "Aurora global cluster this region's cluster joins."
  type        = string
}

variable "aurora_join_after" {
  description = "Secondary region only: module.primary.aurora_global_cluster_identifier, known once the primary cluster has its instances. Null for the primary region."
  type        = string
  default     = null
}

variable "aurora_engine_version" {
  description = "Aurora PostgreSQL version (equal to the global cluster's)."
  type        = string
}

variable "aurora_parameter_group_family" {
  description = "Cluster parameter group family matching the engine version."
  type        = string
  default     = "aurora-postgresql16"
}

variable "aurora_instance_class" {
  description = "Aurora instance class."
  type        = string
  default     = "db.r6g.large"
}

variable "aurora_instance_count" {
  description = "Aurora instances in this region."
  type        = number
  default     = 2
}

variable "db_name" {
  description = "Application database name."
  type        = string
  default     = "app"
}

variable "db_master_username" {
  description = "Master user; set for the primary region only (null makes this region a secondary)."
  type        = string
  default     = null
}

variable "dynamodb_table_name" {
  description = "Name of the DynamoDB global table."
  type        = string
}

variable "dynamodb_table_arn" {
  description = "ARN of this region's copy of the global table (the table or its replica)."
  type        = string
}

variable "copy_destination_vault_arn" {
  description = "Backup vault in the other region that receives the copies of this region's backups."
  type        = string
}

variable "api_image_repository" {
  description = "ECR repository of the API image (created in every region, replicated from the primary)."
  type        = string
  default     = "api"
}

variable "api_image_digest" {
  description = "Digest of the API image to run."
  type        = string

  validation {
    condition     = can(regex("^sha256:[a-f0-9]{64}$", var.api_image_digest))
    error_message = "api_image_digest must be sha256:<64 hex digits>."
  }
}

variable "worker_image_repository" {
  description = "ECR repository of the worker image (created in every region, replicated from the primary)."
  type        = string
  default     = "worker"
}

variable "worker_image_digest" {
  description = "Digest of the worker image to run."
  type        = string

  validation {
    condition     = can(regex("^sha256:[a-f0-9]{64}$", var.worker_image_digest))
    error_message = "worker_image_digest must be sha256:<64 hex digits>."
  }
}

variable "lambda_artifact_bucket" {
  description = "This region's S3 bucket of Lambda packages."
  type        = string
}

variable "jwt_issuer" {
  description = "Token issuer accepted by the WebSocket authorizer."
  type        = string
}

variable "jwt_audience" {
  description = "Token audience required by the WebSocket authorizer."
  type        = string
}

variable "slo_target" {
  description = "Availability SLO in percent."
  type        = number
  default     = 99.95
}

variable "alarm_emails" {
  description = "E-mail addresses for alarms."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
