variable "name" {
  description = "Name prefix (ALB and target-group names are limited to 32 characters)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}$", var.name))
    error_message = "name must be lowercase letters, digits and hyphens, 2-23 characters, starting with a letter."
  }
}

variable "vpc_id" {
  description = "VPC of the ALB."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC; only clients inside it may connect."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr must be a valid IPv4 CIDR block."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets (one per AZ) for the ALB nodes."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "An ALB needs subnets in at least two availability zones."
  }
}

variable "certificate_arn" {
  description = "Issued ACM certificate for the internal host name."
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
  description = "Container port the target group forwards to."
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

variable "access_logs_bucket" {
  description = "S3 bucket for access logs (the public ALB module's bucket)."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
