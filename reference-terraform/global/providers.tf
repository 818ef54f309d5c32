terraform {
  required_version = ">= 1.11" # ephemeral resources and write-only arguments (Aurora master password)

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
  }

  # Partial configuration: bucket, key, region and lock table come from
  # -backend-config in the pipeline (see .github/workflows/plan.yml).
  backend "s3" {}
}

# CloudFront certificates, CLOUDFRONT-scope WAF web ACLs, Route53 health-check
# metrics and Shield Advanced protections of global resources all live in
# us-east-1, whatever the platform's primary region is.
provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = merge(var.tags, { Stack = "global" })
  }
}
