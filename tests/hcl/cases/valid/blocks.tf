terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # a comment before the closing brace
}

provider "aws" {
  alias  = "dr"
  region = var.dr_region
}

resource "aws_security_group" "web" {
  name = "web" /* an inline comment */
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port = ingress.value
      to_port   = ingress.value
    }
  }
  lifecycle { create_before_destroy = true }
  tags = {}
}

resource aws_s3_bucket unquoted_labels {}

module "c" {
  source    = "./c"
  providers = { aws.dr = aws.eu }
}

// a line comment at the end
