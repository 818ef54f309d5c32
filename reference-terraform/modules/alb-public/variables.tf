variable "name" {
  description = "Name prefix (keep it short: ALB and target-group names are limited to 32 characters)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,25}$", var.name))
    error_message = "name must be lowercase letters, digits and hyphens, 2-26 characters, starting with a letter."
  }
}

variable "account_id" {
  description = "AWS account id (log bucket name and log delivery path)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "vpc_id" {
  description = "VPC of the ALB."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC; the ALB may only talk to targets inside it."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr must be a valid IPv4 CIDR block."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets (one per AZ) for the ALB nodes."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "An ALB needs subnets in at least two availability zones."
  }
}

variable "certificate_arn" {
  description = "Issued ACM certificate for the origin host names."
  type        = string
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition = contains([
      "ELBSecurityPolicy-TLS13-1-2-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
      "ELBSecurityPolicy-TLS13-1-3-2021-06",
    ], var.ssl_policy)
    error_message = "ssl_policy must be a TLS 1.2+/1.3 policy."
  }
}

variable "target_port" {
  description = "Container port the target groups forward to."
  type        = number
  default     = 8080

  validation {
    condition     = var.target_port >= 1024 && var.target_port <= 65535
    error_message = "target_port must be an unprivileged port (1024-65535)."
  }
}

variable "health_check_path" {
  description = "HTTP path of the target health check."
  type        = string
  default     = "/healthz"

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with /."
  }
}

variable "health_checker_regions" {
  description = "Regions whose Route53 health checkers probe the ALB (same list as the health checks in global/)."
  type        = list(string)

  validation {
    condition     = length(var.health_checker_regions) >= 3
    error_message = "Route53 health checks need at least three checker regions."
  }
}

variable "access_log_retention_days" {
  description = "Days to keep ALB access logs."
  type        = number
  default     = 365

  validation {
    condition     = var.access_log_retention_days >= 90
    error_message = "access_log_retention_days must be at least 90."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
