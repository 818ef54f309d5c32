# The inputs of global/ and regions/ that have no default, and the shared
# ones that must agree between the two. Validation lives in the called roots.

variable "name" {
  description = "Platform name prefix."
  type        = string
  default     = "tfw-prod"
}

variable "account_id" {
  description = "The only AWS account the platform may be applied to."
  type        = string
}

variable "domain_name" {
  description = "Apex domain of the platform."
  type        = string
}

variable "primary_region" {
  description = "Active region."
  type        = string
  default     = "us-east-1"
}

variable "secondary_region" {
  description = "Standby region."
  type        = string
  default     = "eu-west-1"
}

variable "health_checker_regions" {
  description = "Route53 health checker regions: global/ checks from them, regions/ opens the ALBs to them."
  type        = list(string)
  default     = ["us-east-1", "eu-west-1", "us-west-2"]
}

variable "api_image_digest" {
  description = "Digest of the API image."
  type        = string
}

variable "worker_image_digest" {
  description = "Digest of the worker image."
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

variable "alarm_emails" {
  description = "E-mail addresses for alarms."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default = {
    Project     = "tfwarden-reference"
    Environment = "production"
    ManagedBy   = "terraform"
  }
}
