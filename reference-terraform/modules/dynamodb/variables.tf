variable "name" {
  description = "Table name (identical in every replica region)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{3,255}$", var.name))
    error_message = "name must be a valid DynamoDB table name."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key of the table in its home region."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "replica_region_name" {
  description = "Region of the table's replica."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.replica_region_name))
    error_message = "replica_region_name must be an AWS region name such as eu-west-1."
  }
}

variable "replica_kms_key_arn" {
  description = "Customer-managed KMS key of the replica, in the replica's region."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.replica_kms_key_arn))
    error_message = "replica_kms_key_arn must be a KMS key ARN."
  }
}

variable "ttl_attribute" {
  description = "Attribute holding the item expiry (epoch seconds)."
  type        = string
  default     = "expires_at"
}

variable "tags" {
  description = "Tags added to the table and its replicas."
  type        = map(string)
  default     = {}
}
