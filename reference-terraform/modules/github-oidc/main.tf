# GitHub Actions federation: the workflows in .github/workflows assume these
# roles with short-lived OIDC tokens (aws-actions/configure-aws-credentials,
# role-to-assume), so no AWS access key exists anywhere. IAM is global, so
# global/ calls this module once.
#
# Each role trusts exactly one provider (by reference), one audience and a
# fixed list of subjects, compared with StringEquals: no wildcard lets another
# repository, branch or environment in.

locals {
  tags = merge(var.tags, { Module = "github-oidc" })

  state_bucket_arn = "arn:aws:s3:::${var.state_bucket_name}"
  lock_table_arn   = "arn:aws:dynamodb:${var.state_region}:${var.account_id}:table/${var.lock_table_name}"

  # The platform's own IAM roles carry the platform name prefix; the apply
  # role may manage and pass only those.
  platform_role_arn = "arn:aws:iam::${var.account_id}:role/${var.name}-*"

  # The provider's ARN built from its URL, so the apply policy below is known
  # at plan time (a policy check reads it); the trust policies refer to the
  # provider resource itself.
  provider_arn = "arn:aws:iam::${var.account_id}:oidc-provider/token.actions.githubusercontent.com"
}

# GitHub's OIDC issuer. Since 2023 AWS validates this issuer against its own
# trusted root CAs, so the thumbprint list is not used; the provider fills it.
resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]

  tags = local.tags
}

# ---------------------------------------------------------------------------
# Plan role: pull requests (plan.yml) and the plan step of apply.yml on main.
# Reads everything (ReadOnlyAccess), writes only the state lock and the saved
# plans.
# ---------------------------------------------------------------------------
data "aws_iam_policy_document" "plan_trust" {
  statement {
    sid     = "GitHubActionsPlan"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    # Pull requests of this repository, and pushes to its main branch (the
    # plan job of apply.yml, which runs before the production approval).
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values = [
        "repo:${var.github_repository}:pull_request",
        "repo:${var.github_repository}:ref:refs/heads/main",
      ]
    }
  }
}

resource "aws_iam_role" "plan" {
  name                 = "${var.name}-github-plan"
  description          = "GitHub Actions: terraform plan of ${var.github_repository}"
  assume_role_policy   = data.aws_iam_policy_document.plan_trust.json
  max_session_duration = 3600

  tags = local.tags
}

# Refreshing every resource of the platform needs read access to all of its
# services; the AWS managed ReadOnlyAccess is maintained as services change.
resource "aws_iam_role_policy_attachment" "plan_read_only" {
  role       = aws_iam_role.plan.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy" "plan_state" {
  name = "terraform-state-and-plans"
  role = aws_iam_role.plan.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.state_statements, [
      {
        Sid      = "SavedPlans"
        Effect   = "Allow"
        Action   = "s3:PutObject"
        Resource = "${local.state_bucket_arn}/plans/*"
      },
      {
        # Aurora's bootstrap password is an ephemeral GetRandomPassword value,
        # opened at plan time too; the action has no resource to scope to.
        Sid      = "EphemeralRandomPassword"
        Effect   = "Allow"
        Action   = "secretsmanager:GetRandomPassword"
        Resource = "*"
      },
    ])
  })
}

locals {
  # State and lock access shared by both roles. The state key is the state
  # bucket's key, reached only through S3 in the state region.
  state_statements = [
    {
      Sid      = "StateBucket"
      Effect   = "Allow"
      Action   = ["s3:ListBucket", "s3:GetBucketVersioning"]
      Resource = local.state_bucket_arn
    },
    {
      Sid      = "StateObjects"
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
      Resource = ["${local.state_bucket_arn}/${var.state_key_prefix}/*"]
    },
    {
      Sid      = "StateLock"
      Effect   = "Allow"
      Action   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
      Resource = local.lock_table_arn
    },
    {
      Sid      = "StateEncryption"
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
      Resource = "arn:aws:kms:${var.state_region}:${var.account_id}:key/*"
      Condition = {
        StringEquals = { "kms:ViaService" = "s3.${var.state_region}.amazonaws.com" }
      }
    },
  ]
}

# ---------------------------------------------------------------------------
# Apply role: only the "production" environment of the repository, whose
# required reviewers approve every apply (apply.yml).
# ---------------------------------------------------------------------------
data "aws_iam_policy_document" "apply_trust" {
  statement {
    sid     = "GitHubActionsApplyProduction"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:environment:production"]
    }
  }
}

resource "aws_iam_role" "apply" {
  name                 = "${var.name}-github-apply"
  description          = "GitHub Actions: terraform apply of ${var.github_repository} (production environment)"
  assume_role_policy   = data.aws_iam_policy_document.apply_trust.json
  max_session_duration = 3600

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "apply_read_only" {
  role       = aws_iam_role.apply.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy" "apply_state" {
  name = "terraform-state-and-plans"
  role = aws_iam_role.apply.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.state_statements, [
      {
        Sid      = "SavedPlans"
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = "${local.state_bucket_arn}/plans/*"
      },
    ])
  })
}

# What applying the platform writes. An apply role realistically needs wide
# rights, but never "*" or "service:*": each service gets the verbs Terraform
# uses on it (Create*, Delete*, Put*, ...) in the platform's two regions, IAM
# is limited to the platform's own name prefix and the GitHub provider, roles
# may be passed only to the services that use them, and key use is limited to
# this account's keys. The read side comes from ReadOnlyAccess above.
locals {
  # Global services (IAM, Route 53, CloudFront, Shield) answer in us-east-1.
  apply_regions = distinct(concat(["us-east-1"], var.platform_regions))

  # Two managed policies, because one may hold at most 6,144 characters.
  apply_policies = {
    workloads = [
      {
        Sid    = "NetworkComputeAndData"
        Effect = "Allow"
        Action = [
          "ec2:Allocate*", "ec2:Associate*", "ec2:Attach*", "ec2:Authorize*", "ec2:Create*", "ec2:Delete*",
          "ec2:Detach*", "ec2:Disassociate*", "ec2:Modify*", "ec2:Release*", "ec2:Replace*", "ec2:Revoke*",
          "ec2:UpdateSecurityGroupRuleDescriptions*",
          "elasticloadbalancing:Add*", "elasticloadbalancing:Create*", "elasticloadbalancing:Delete*",
          "elasticloadbalancing:Modify*", "elasticloadbalancing:Remove*", "elasticloadbalancing:Set*",
          "ecs:Create*", "ecs:Delete*", "ecs:Deregister*", "ecs:Put*", "ecs:Register*", "ecs:TagResource",
          "ecs:UntagResource", "ecs:Update*",
          "ecr:Create*", "ecr:Delete*", "ecr:Put*", "ecr:Set*", "ecr:TagResource", "ecr:UntagResource",
          "codedeploy:Create*", "codedeploy:Delete*", "codedeploy:TagResource", "codedeploy:UntagResource",
          "codedeploy:Update*",
          "application-autoscaling:Delete*", "application-autoscaling:Deregister*",
          "application-autoscaling:Put*", "application-autoscaling:Register*", "application-autoscaling:TagResource",
          "rds:Add*", "rds:Create*", "rds:Delete*", "rds:Modify*", "rds:Remove*",
          "dynamodb:Create*", "dynamodb:Delete*", "dynamodb:TagResource", "dynamodb:UntagResource",
          "dynamodb:Update*",
          "backup:Create*", "backup:Delete*", "backup:Put*", "backup:TagResource", "backup:UntagResource",
          "backup:Update*", "backup-storage:MountCapsule",
          "lambda:AddPermission", "lambda:CreateFunction", "lambda:DeleteFunction*", "lambda:PutFunctionConcurrency",
          "lambda:RemovePermission", "lambda:TagResource", "lambda:UntagResource", "lambda:UpdateFunction*",
          "apigateway:DELETE", "apigateway:PATCH", "apigateway:POST", "apigateway:PUT",
        ]
        Resource  = "*"
        Condition = { StringEquals = { "aws:RequestedRegion" = local.apply_regions } }
      },
    ]
    platform = concat([
      {
        Sid    = "ObservabilityEdgeAndSecurity"
        Effect = "Allow"
        Action = [
          "logs:Associate*", "logs:Create*", "logs:Delete*", "logs:Disassociate*", "logs:Put*",
          "logs:TagResource", "logs:UntagResource",
          "cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource",
          "sns:CreateTopic", "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe",
          "sns:TagResource", "sns:UntagResource",
          "secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:PutResourcePolicy",
          "secretsmanager:RotateSecret", "secretsmanager:TagResource", "secretsmanager:UntagResource",
          "secretsmanager:UpdateSecret", "secretsmanager:GetRandomPassword",
          "ssm:AddTagsToResource", "ssm:DeleteParameter", "ssm:PutParameter", "ssm:RemoveTagsFromResource",
          "acm:AddTagsToCertificate", "acm:DeleteCertificate", "acm:RemoveTagsFromCertificate",
          "acm:RequestCertificate",
          "fis:CreateExperimentTemplate", "fis:DeleteExperimentTemplate", "fis:TagResource",
          "fis:UntagResource", "fis:UpdateExperimentTemplate",
          "s3:CreateBucket", "s3:DeleteBucketPolicy", "s3:PutBucket*", "s3:PutEncryptionConfiguration",
          "s3:PutLifecycleConfiguration",
          "cloudtrail:AddTags", "cloudtrail:CreateTrail", "cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors",
          "cloudtrail:RemoveTags", "cloudtrail:StartLogging", "cloudtrail:StopLogging", "cloudtrail:UpdateTrail",
          "guardduty:CreateDetector", "guardduty:DeleteDetector", "guardduty:TagResource",
          "guardduty:UntagResource", "guardduty:UpdateDetector",
          "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel", "config:PutConfigurationRecorder",
          "config:PutDeliveryChannel", "config:StartConfigurationRecorder", "config:StopConfigurationRecorder",
          "securityhub:DisableSecurityHub", "securityhub:EnableSecurityHub", "securityhub:UpdateSecurityHubConfiguration",
          "route53:ChangeResourceRecordSets", "route53:ChangeTagsForResource", "route53:CreateHealthCheck",
          "route53:CreateHostedZone", "route53:CreateQueryLoggingConfig", "route53:DeleteHealthCheck",
          "route53:DeleteQueryLoggingConfig", "route53:UpdateHealthCheck", "route53:UpdateHostedZoneComment",
          "cloudfront:CreateDistribution", "cloudfront:CreateResponseHeadersPolicy", "cloudfront:TagResource",
          "cloudfront:UntagResource", "cloudfront:UpdateDistribution", "cloudfront:UpdateResponseHeadersPolicy",
          "wafv2:AssociateWebACL", "wafv2:CreateWebACL", "wafv2:DeleteLoggingConfiguration",
          "wafv2:PutLoggingConfiguration", "wafv2:TagResource", "wafv2:UntagResource", "wafv2:UpdateWebACL",
          "shield:AssociateHealthCheck", "shield:CreateProtection", "shield:CreateProtectionGroup",
          "shield:DisassociateHealthCheck", "shield:TagResource", "shield:UntagResource",
          "shield:UpdateProtectionGroup",
        ]
        Resource  = "*"
        Condition = { StringEquals = { "aws:RequestedRegion" = local.apply_regions } }
      },
      ], [
      {
        Sid    = "PlatformRoles"
        Effect = "Allow"
        Action = [
          "iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePolicy",
          "iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole",
          "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription",
          "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion",
          "iam:TagPolicy", "iam:UntagPolicy",
        ]
        Resource = [
          local.platform_role_arn,
          "arn:aws:iam::${var.account_id}:policy/${var.name}-*",
        ]
      },
      {
        Sid    = "GitHubProvider"
        Effect = "Allow"
        Action = [
          "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider",
          "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider",
          "iam:UpdateOpenIDConnectProviderThumbprint",
        ]
        Resource = local.provider_arn
      },
      {
        Sid      = "ServiceLinkedRoles"
        Effect   = "Allow"
        Action   = "iam:CreateServiceLinkedRole"
        Resource = "arn:aws:iam::${var.account_id}:role/aws-service-role/*"
      },
      {
        Sid      = "PassPlatformRoles"
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = local.platform_role_arn
        Condition = {
          StringEquals = {
            "iam:PassedToService" = [
              "apigateway.amazonaws.com", "backup.amazonaws.com", "cloudtrail.amazonaws.com",
              "codedeploy.amazonaws.com", "config.amazonaws.com", "ecs-tasks.amazonaws.com",
              "fis.amazonaws.com", "lambda.amazonaws.com", "monitoring.rds.amazonaws.com",
              "vpc-flow-logs.amazonaws.com",
            ]
          }
        }
      },
      {
        Sid    = "PlatformKeys"
        Effect = "Allow"
        Action = [
          "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias", "kms:EnableKeyRotation",
          "kms:Encrypt", "kms:GenerateDataKey*", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion",
          "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription",
        ]
        Resource = [
          "arn:aws:kms:*:${var.account_id}:key/*",
          "arn:aws:kms:*:${var.account_id}:alias/${var.name}-*",
        ]
      },
      {
        # CreateKey has no resource to scope it to.
        Sid      = "CreateKeys"
        Effect   = "Allow"
        Action   = ["kms:CreateKey"]
        Resource = "*"
        Condition = {
          StringEquals = { "aws:RequestedRegion" = distinct(concat(["us-east-1"], var.platform_regions)) }
        }
      },
    ])
  }
}

resource "aws_iam_policy" "apply" {
  for_each = local.apply_policies

  name        = "${var.name}-github-apply-${each.key}"
  description = "Writes of terraform apply for ${var.name} (${each.key})"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = each.value
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "apply" {
  for_each = aws_iam_policy.apply

  role       = aws_iam_role.apply.name
  policy_arn = each.value.arn
}
