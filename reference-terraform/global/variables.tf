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

variable "domain_name" {
  description = "Apex domain of the platform; this stack creates its public hosted zone."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name without a trailing dot."
  }
}

variable "primary_region" {
  description = "Active region (Route53 PRIMARY, CloudFront primary origin)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]+-[0-9]$", var.primary_region))
    error_message = "primary_region must be an AWS region name such as us-east-1."
  }
}

variable "secondary_region" {
  description = "Standby region (Route53 SECONDARY, CloudFront failover origin)."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]+-[0-9]$", var.secondary_region))
    error_message = "secondary_region must be an AWS region name such as eu-west-1."
  }
}

variable "health_check_regions" {
  description = "Route53 health checker regions (at least three); regions/ opens the ALBs to exactly these."
  type        = list(string)
  default     = ["us-east-1", "eu-west-1", "us-west-2"]

  validation {
    condition = length(var.health_check_regions) >= 3 && alltrue([
      for r in var.health_check_regions : contains(
        ["us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"],
        r,
      )
    ])
    error_message = "health_check_regions must list at least three Route53 health checker regions."
  }
}

variable "health_check_path" {
  description = "Path the health checks request on each regional origin."
  type        = string
  default     = "/healthz"

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with /."
  }
}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes from one IP before WAF blocks it."
  type        = number
  default     = 2000

  validation {
    condition     = var.waf_rate_limit >= 100 && var.waf_rate_limit <= 10000
    error_message = "waf_rate_limit must be between 100 and 10,000 requests per 5 minutes."
  }
}

variable "price_class" {
  description = "CloudFront price class."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "log_retention_days" {
  description = "Retention of CloudFront and WAF logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value of at least 365 days."
  }
}

variable "audit_log_retention_days" {
  description = "Retention of the CloudTrail log files and log group, and of the DNS query logs."
  type        = number
  default     = 731

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.audit_log_retention_days)
    error_message = "audit_log_retention_days must be a CloudWatch Logs retention value of at least 365 days."
  }
}

variable "alarm_emails" {
  description = "E-mail addresses for DR alarms."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alarm_emails must contain e-mail addresses."
  }
}

variable "github_repository" {
  description = "GitHub repository (OWNER/REPO) whose workflows plan and apply this platform through OIDC."
  type        = string
  default     = "example-org/platform-infra"
}

variable "terraform_state_bucket" {
  description = "S3 bucket of the Terraform state (vars.TF_STATE_BUCKET of the workflows)."
  type        = string
  default     = "tfw-prod-terraform-state"
}

variable "terraform_lock_table" {
  description = "DynamoDB lock table of the Terraform state (vars.TF_LOCK_TABLE of the workflows)."
  type        = string
  default     = "tfw-prod-terraform-locks"
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
