variable "name" {
  description = "Platform name prefix; the roles are <name>-github-plan and <name>-github-apply."
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

variable "github_repository" {
  description = "The GitHub repository (OWNER/REPO) whose workflows may assume the roles."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be OWNER/REPO, without wildcards."
  }
}

variable "platform_regions" {
  description = "Regions the apply role may write in (us-east-1 is always allowed, for global services)."
  type        = list(string)
}

variable "state_bucket_name" {
  description = "S3 bucket of the Terraform state and the saved plans."
  type        = string
}

variable "state_key_prefix" {
  description = "Key prefix of the state objects in the state bucket."
  type        = string
  default     = "tfwarden-reference"
}

variable "lock_table_name" {
  description = "DynamoDB table of the state locks."
  type        = string
}

variable "state_region" {
  description = "Region of the state bucket, its key and the lock table."
  type        = string
  default     = "us-east-1"
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
