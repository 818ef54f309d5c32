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

variable "replicas" {
  description = "Replica regions with their customer-managed KMS keys; empty for a single-region table."
  type = list(object({
    region_name = string
    kms_key_arn = string
  }))
  default = []

  validation {
    condition     = length(distinct([for r in var.replicas : r.region_name])) == length(var.replicas)
    error_message = "Each replica region may appear only once."
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
