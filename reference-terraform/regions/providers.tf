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

provider "aws" {
  alias               = "primary"
  region              = var.primary_region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = merge(var.tags, { Stack = "regions", Role = "primary" })
  }
}

provider "aws" {
  alias               = "secondary"
  region              = var.secondary_region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = merge(var.tags, { Stack = "regions", Role = "secondary" })
  }
}
