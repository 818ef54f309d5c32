locals {
  tags = merge(var.tags, { Module = "secrets" })
}

resource "aws_secretsmanager_secret" "this" {
  name                    = var.secret_name
  description             = var.description
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days

  tags = local.tags

  lifecycle {
    prevent_destroy = true
  }
}

# ---------------------------------------------------------------------------
# Rotation function. It runs in the private subnets and implements the four
# Secrets Manager rotation steps (createSecret, setSecret, testSecret,
# finishSecret); the first rotation, started when rotation is enabled,
# creates the initial value, so no secret value ever passes through Terraform.
# ---------------------------------------------------------------------------
resource "aws_security_group" "rotation" {
  name        = "${var.name}-secret-rotation"
  description = "Secret rotation Lambda: no ingress, HTTPS egress only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-secret-rotation" })
}

resource "aws_vpc_security_group_egress_rule" "rotation_https" {
  security_group_id = aws_security_group.rotation.id
  description       = "HTTPS to the Secrets Manager API"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_iam_role" "rotation" {
  name = "${var.name}-secret-rotation"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "rotation_vpc" {
  role       = aws_iam_role.rotation.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role_policy_attachment" "rotation_xray" {
  role       = aws_iam_role.rotation.name
  policy_arn = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
}

# A policy document, not jsonencode: its statements stay known at plan time
# when a resource ARN is not, so a policy check can read them.
data "aws_iam_policy_document" "rotation" {
  statement {
    effect = "Allow"
    actions = [
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
      "secretsmanager:PutSecretValue",
      "secretsmanager:UpdateSecretVersionStage",
    ]
    resources = [aws_secretsmanager_secret.this.arn]
  }

  statement {
    effect    = "Allow"
    actions   = ["secretsmanager:GetRandomPassword"]
    resources = ["*"]
  }

  statement {
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "rotation" {
  name   = "rotate-one-secret"
  role   = aws_iam_role.rotation.id
  policy = data.aws_iam_policy_document.rotation.json
}

module "rotation_function" {
  source = "../lambda-function"

  function_name        = "${var.name}-secret-rotation"
  description          = "Rotates ${var.secret_name}"
  role_arn             = aws_iam_role.rotation.arn
  runtime              = "python3.12"
  handler              = "rotate.handler"
  s3_bucket            = var.lambda_artifact_bucket
  s3_key               = var.rotation_lambda_s3_key
  timeout              = 60
  memory_size          = 256
  reserved_concurrency = 2
  environment = {
    SECRETS_MANAGER_ENDPOINT = "https://secretsmanager.${var.region}.amazonaws.com"
    SECRET_LENGTH            = tostring(var.secret_length)
  }
  kms_key_arn        = var.kms_key_arn
  subnet_ids         = var.private_subnet_ids
  security_group_ids = [aws_security_group.rotation.id]
  log_retention_days = var.log_retention_days
  tags               = local.tags

  depends_on = [aws_iam_role_policy_attachment.rotation_vpc, aws_iam_role_policy.rotation]
}

moved {
  from = aws_lambda_function.rotation
  to   = module.rotation_function.aws_lambda_function.this
}

moved {
  from = aws_cloudwatch_log_group.rotation
  to   = module.rotation_function.aws_cloudwatch_log_group.this
}

resource "aws_lambda_permission" "rotation" {
  statement_id   = "AllowSecretsManagerRotation"
  action         = "lambda:InvokeFunction"
  function_name  = module.rotation_function.function_name
  principal      = "secretsmanager.amazonaws.com"
  source_arn     = aws_secretsmanager_secret.this.arn
  source_account = var.account_id
}

resource "aws_secretsmanager_secret_rotation" "this" {
  secret_id           = aws_secretsmanager_secret.this.id
  rotation_lambda_arn = module.rotation_function.arn

  rotation_rules {
    automatically_after_days = var.rotation_days
  }

  depends_on = [aws_lambda_permission.rotation]
}
