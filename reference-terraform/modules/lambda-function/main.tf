# One Lambda function of the platform and its log group, hardened the same
# way wherever a function is needed (the WebSocket handlers and authorizer,
# the secret rotation): in private subnets, with active X-Ray tracing, its
# environment and its JSON logs encrypted with the regional customer-managed
# key, a year of logs, and reserved concurrency so that one function cannot
# starve the others. The caller owns the role and what may invoke it.
resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

resource "aws_lambda_function" "this" {
  function_name                  = var.function_name
  description                    = var.description
  role                           = var.role_arn
  runtime                        = var.runtime
  handler                        = var.handler
  architectures                  = ["arm64"]
  s3_bucket                      = var.s3_bucket
  s3_key                         = var.s3_key
  timeout                        = var.timeout
  memory_size                    = var.memory_size
  kms_key_arn                    = var.kms_key_arn
  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = var.environment
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  tags = var.tags
}
