variable "name" {
  description = "Name prefix of this region's resources (the regional name, e.g. tfw-prod-useast1)."
  type        = string
}

variable "account_id" {
  description = "AWS account of the platform."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "kms_key_arn" {
  description = "This region's customer-managed key (Config history bucket and delivery)."
  type        = string
}

variable "record_global_resources" {
  description = "Record global resource types (IAM) in this region: true in exactly one region, the primary."
  type        = bool
}

variable "config_retention_days" {
  description = "Days the configuration history is kept."
  type        = number
  default     = 2557

  validation {
    condition     = var.config_retention_days >= 365
    error_message = "config_retention_days must be at least 365."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
