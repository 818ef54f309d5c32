variable "name" {
  description = "Name prefix of the cluster and its resources."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be lowercase letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the DB subnet group; never public subnets."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "A DB subnet group needs subnets in at least two availability zones."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect, keyed by a static label (e.g. { api = sg-..., worker = sg-... })."
  type        = map(string)
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for storage and Performance Insights."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (a customer-managed key, not an alias)."
  }
}

variable "global_cluster_identifier" {
  description = "Aurora global cluster this regional cluster joins."
  type        = string
}

variable "join_after" {
  description = "Secondary clusters only: a value that becomes known once the primary cluster has its instances; creation waits for it. Null for the primary."
  type        = string
  default     = null
}

variable "engine_version" {
  description = "Aurora PostgreSQL version; must equal the global cluster's."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must look like 16.4."
  }
}

variable "parameter_group_family" {
  description = "Cluster parameter group family matching engine_version."
  type        = string
  default     = "aurora-postgresql16"

  validation {
    condition     = can(regex("^aurora-postgresql[0-9]+$", var.parameter_group_family))
    error_message = "parameter_group_family must be an aurora-postgresqlNN family."
  }
}

variable "instance_class" {
  description = "Instance class (Aurora global databases need r-class or larger)."
  type        = string
  default     = "db.r6g.large"

  validation {
    condition     = can(regex("^db\\.(r[0-9][a-z]*|x2g)\\.", var.instance_class))
    error_message = "instance_class must be a memory-optimized class supported by Aurora global databases."
  }
}

variable "instance_count" {
  description = "Instances in the cluster (writer plus readers)."
  type        = number
  default     = 2

  validation {
    condition     = var.instance_count >= 2 && var.instance_count <= 16
    error_message = "instance_count must be between 2 (for in-region failover) and 16."
  }
}

variable "database_name" {
  description = "Initial database name; set on the primary cluster only, null on secondaries."
  type        = string
  default     = null
}

variable "master_username" {
  description = "Master user; set on the primary cluster only, null on secondaries."
  type        = string
  default     = null
}

variable "master_password_version" {
  description = "Version of the write-only master password of the primary cluster; raise it to have Terraform set a new random password."
  type        = number
  default     = 1

  validation {
    condition     = var.master_password_version >= 1
    error_message = "master_password_version must be 1 or more."
  }
}

variable "cluster_parameters" {
  description = "Cluster parameters of the parameter group (name = value)."
  type        = map(string)
  default = {
    "rds.force_ssl"      = "1"
    "log_connections"    = "1"
    "log_disconnections" = "1"
  }

  validation {
    condition     = lookup(var.cluster_parameters, "rds.force_ssl", "0") == "1"
    error_message = "cluster_parameters must keep rds.force_ssl = 1: the cluster accepts TLS connections only."
  }
}

variable "port" {
  description = "PostgreSQL port."
  type        = number
  default     = 5432
}

variable "backup_retention_period" {
  description = "Days of automated backups (point-in-time restore window)."
  type        = number
  default     = 35

  validation {
    condition     = var.backup_retention_period >= 7 && var.backup_retention_period <= 35
    error_message = "backup_retention_period must be between 7 and 35 days."
  }
}

variable "preferred_backup_window" {
  description = "Daily backup window (UTC)."
  type        = string
  default     = "03:00-04:00"
}

variable "preferred_maintenance_window" {
  description = "Weekly maintenance window (UTC)."
  type        = string
  default     = "sun:05:00-sun:06:00"
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
