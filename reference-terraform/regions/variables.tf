variable "name" {
  description = "Platform name prefix."
  type        = string
  default     = "tfw-prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,9}$", var.name))
    error_message = "name must be 2-10 lowercase letters, digits or hyphens."
  }
}

variable "account_id" {
  description = "The only AWS account this configuration may be applied to."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "primary_region" {
  description = "Active region: Aurora writer, DynamoDB table home, Route53 PRIMARY."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]+-[0-9]$", var.primary_region))
    error_message = "primary_region must be an AWS region name such as us-east-1."
  }
}

variable "secondary_region" {
  description = "Standby region: Aurora secondary, DynamoDB replica, Route53 SECONDARY."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]+-[0-9]$", var.secondary_region))
    error_message = "secondary_region must be an AWS region name such as eu-west-1."
  }
}

variable "primary_vpc_cidr" {
  description = "VPC CIDR of the primary region."
  type        = string
  default     = "10.10.0.0/16"
}

variable "secondary_vpc_cidr" {
  description = "VPC CIDR of the secondary region (must not overlap the primary's)."
  type        = string
  default     = "10.20.0.0/16"
}

variable "primary_availability_zones" {
  description = "Availability zones used in the primary region."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

variable "secondary_availability_zones" {
  description = "Availability zones used in the secondary region."
  type        = list(string)
  default     = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

variable "domain_name" {
  description = "Apex domain of the platform."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name without a trailing dot."
  }
}

variable "public_zone_id" {
  description = "Public hosted zone id (terraform -chdir=global output -raw public_zone_id)."
  type        = string

  validation {
    condition     = can(regex("^Z[A-Z0-9]{1,31}$", var.public_zone_id))
    error_message = "public_zone_id must be a Route53 hosted zone id."
  }
}

variable "health_checker_regions" {
  description = "Route53 health checker regions; must equal health_check_regions of global/."
  type        = list(string)
  default     = ["us-east-1", "eu-west-1", "us-west-2"]
}

variable "aurora_engine_version" {
  description = "Aurora PostgreSQL version of the global cluster."
  type        = string
  default     = "16.4"

  validation {
    condition     = can(regex("^16\\.[0-9]+$", var.aurora_engine_version))
    error_message = "aurora_engine_version must be an Aurora PostgreSQL 16 version (the parameter group family is aurora-postgresql16)."
  }
}

variable "aurora_instance_class" {
  description = "Aurora instance class in both regions."
  type        = string
  default     = "db.r6g.large"
}

variable "db_name" {
  description = "Application database name."
  type        = string
  default     = "app"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_name))
    error_message = "db_name must be a valid PostgreSQL database name."
  }
}

variable "db_master_username" {
  description = "Aurora master user name."
  type        = string
  default     = "postgres_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.db_master_username)) && var.db_master_username != "admin"
    error_message = "db_master_username must be 1-16 lowercase characters and not a reserved name."
  }
}

variable "api_image_digest" {
  description = "Digest of the API image (ECR replicates it to both regions)."
  type        = string
}

variable "worker_image_digest" {
  description = "Digest of the worker image (ECR replicates it to both regions)."
  type        = string
}

variable "primary_lambda_artifact_bucket" {
  description = "S3 bucket of Lambda packages in the primary region."
  type        = string
}

variable "secondary_lambda_artifact_bucket" {
  description = "S3 bucket of Lambda packages in the secondary region."
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
  description = "Tags on every resource (also applied as provider default tags)."
  type        = map(string)
  default = {
    Project     = "tfwarden-reference"
    Environment = "production"
    ManagedBy   = "terraform"
  }
}
