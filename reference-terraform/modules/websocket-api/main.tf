locals {
  tags = merge(var.tags, { Module = "websocket-api" })
}

# ---------------------------------------------------------------------------
# API Gateway writes execution and access logs through an account-level role
# (one per region); without it stage logging cannot be enabled.
# ---------------------------------------------------------------------------
resource "aws_iam_role" "api_gateway_cloudwatch" {
  name = "${var.name}-apigw-cloudwatch"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "apigateway.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "api_gateway_cloudwatch" {
  role       = aws_iam_role.api_gateway_cloudwatch.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.api_gateway_cloudwatch.arn

  depends_on = [aws_iam_role_policy_attachment.api_gateway_cloudwatch]
}

# ---------------------------------------------------------------------------
# Lambda functions: private subnets, active tracing, environment encrypted
# with the regional CMK, bounded concurrency.
# ---------------------------------------------------------------------------
resource "aws_security_group" "lambda" {
  name        = "${var.name}-websocket-lambda"
  description = "WebSocket Lambda functions: no ingress, HTTPS egress only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-websocket-lambda" })
}

resource "aws_vpc_security_group_egress_rule" "lambda_https" {
  security_group_id = aws_security_group.lambda.id
  description       = "HTTPS to DynamoDB and the API Gateway management API"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_iam_role" "handler" {
  name = "${var.name}-websocket-handler"

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

resource "aws_iam_role_policy_attachment" "handler_vpc" {
  role       = aws_iam_role.handler.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role_policy_attachment" "handler_xray" {
  role       = aws_iam_role.handler.name
  policy_arn = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
}

# A policy document, not jsonencode: its statements stay known at plan time
# when a resource ARN is not, so a policy check can read them.
data "aws_iam_policy_document" "handler_policy" {
  statement {
    effect = "Allow"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:Query",
    ]
    resources = [var.dynamodb_table_arn, "${var.dynamodb_table_arn}/index/*"]
  }

  statement {
    effect    = "Allow"
    actions   = ["execute-api:ManageConnections"]
    resources = ["${aws_apigatewayv2_api.this.execution_arn}/${var.stage_name}/POST/@connections/*"]
  }

  statement {
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "handler" {
  name   = "connections"
  role   = aws_iam_role.handler.id
  policy = data.aws_iam_policy_document.handler_policy.json
}

resource "aws_iam_role" "authorizer" {
  name = "${var.name}-websocket-authorizer"

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

resource "aws_iam_role_policy_attachment" "authorizer_vpc" {
  role       = aws_iam_role.authorizer.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role_policy_attachment" "authorizer_xray" {
  role       = aws_iam_role.authorizer.name
  policy_arn = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
}

# A policy document, not jsonencode: its statements stay known at plan time
# when a resource ARN is not, so a policy check can read them.
data "aws_iam_policy_document" "authorizer_policy" {
  statement {
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "authorizer" {
  name   = "decrypt-environment"
  role   = aws_iam_role.authorizer.id
  policy = data.aws_iam_policy_document.authorizer_policy.json
}

locals {
  # The four functions differ only in these settings; what makes them safe
  # (private subnets, active tracing, KMS-encrypted environment, reserved
  # concurrency, JSON logs in their own encrypted log group) is written once,
  # in modules/lambda-function. `route` is the route a handler serves.
  functions = {
    connect = {
      description = "WebSocket $connect: registers the connection"
      route       = "$connect"
      role_arn    = aws_iam_role.handler.arn
      s3_key      = var.handlers_s3_key
      timeout     = 10
      memory_size = 256
      concurrency = var.handler_reserved_concurrency
      environment = { TABLE_NAME = var.dynamodb_table_name }
    }
    disconnect = {
      description = "WebSocket $disconnect: removes the connection"
      route       = "$disconnect"
      role_arn    = aws_iam_role.handler.arn
      s3_key      = var.handlers_s3_key
      timeout     = 10
      memory_size = 256
      concurrency = var.handler_reserved_concurrency
      environment = { TABLE_NAME = var.dynamodb_table_name }
    }
    default = {
      description = "WebSocket $default: handles messages"
      route       = "$default"
      role_arn    = aws_iam_role.handler.arn
      s3_key      = var.handlers_s3_key
      # API Gateway waits at most 29 seconds for an integration.
      timeout     = 29
      memory_size = 512
      concurrency = var.handler_reserved_concurrency
      environment = {
        TABLE_NAME          = var.dynamodb_table_name
        MANAGEMENT_ENDPOINT = "https://${aws_apigatewayv2_api.this.id}.execute-api.${var.region}.amazonaws.com/${var.stage_name}"
      }
    }
    authorizer = {
      description = "WebSocket $connect REQUEST authorizer: validates the caller's JWT"
      route       = null
      role_arn    = aws_iam_role.authorizer.arn
      s3_key      = var.authorizer_s3_key
      timeout     = 5
      memory_size = 256
      concurrency = var.authorizer_reserved_concurrency
      environment = { JWT_ISSUER = var.jwt_issuer, JWT_AUDIENCE = var.jwt_audience }
    }
  }

  # The functions that integrate a route (all but the authorizer).
  route_functions = { for k, f in local.functions : k => f if f.route != null }
}

module "function" {
  source   = "../lambda-function"
  for_each = local.functions

  function_name        = "${var.name}-ws-${each.key}"
  description          = each.value.description
  role_arn             = each.value.role_arn
  runtime              = var.lambda_runtime
  handler              = "${each.key}.handler"
  s3_bucket            = var.lambda_artifact_bucket
  s3_key               = each.value.s3_key
  timeout              = each.value.timeout
  memory_size          = each.value.memory_size
  reserved_concurrency = each.value.concurrency
  environment          = each.value.environment
  kms_key_arn          = var.kms_key_arn
  subnet_ids           = var.private_subnet_ids
  security_group_ids   = [aws_security_group.lambda.id]
  log_retention_days   = var.log_retention_days
  tags                 = local.tags

  # A function in a VPC can be created only once its role may create ENIs.
  depends_on = [aws_iam_role_policy_attachment.handler_vpc, aws_iam_role_policy_attachment.authorizer_vpc]
}

# The functions were separate resources before; these keep deployed ones.
moved {
  from = aws_lambda_function.connect
  to   = module.function["connect"].aws_lambda_function.this
}

moved {
  from = aws_lambda_function.disconnect
  to   = module.function["disconnect"].aws_lambda_function.this
}

moved {
  from = aws_lambda_function.default
  to   = module.function["default"].aws_lambda_function.this
}

moved {
  from = aws_lambda_function.authorizer
  to   = module.function["authorizer"].aws_lambda_function.this
}

moved {
  from = aws_cloudwatch_log_group.connect
  to   = module.function["connect"].aws_cloudwatch_log_group.this
}

moved {
  from = aws_cloudwatch_log_group.disconnect
  to   = module.function["disconnect"].aws_cloudwatch_log_group.this
}

moved {
  from = aws_cloudwatch_log_group.default
  to   = module.function["default"].aws_cloudwatch_log_group.this
}

moved {
  from = aws_cloudwatch_log_group.authorizer
  to   = module.function["authorizer"].aws_cloudwatch_log_group.this
}

# ---------------------------------------------------------------------------
# WebSocket API
# ---------------------------------------------------------------------------
resource "aws_apigatewayv2_api" "this" {
  name                       = "${var.name}-websocket"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"

  tags = local.tags
}

resource "aws_apigatewayv2_authorizer" "this" {
  api_id           = aws_apigatewayv2_api.this.id
  name             = "${var.name}-jwt"
  authorizer_type  = "REQUEST"
  authorizer_uri   = module.function["authorizer"].invoke_arn
  identity_sources = ["route.request.header.Authorization"]
}

resource "aws_apigatewayv2_integration" "this" {
  for_each = local.route_functions

  api_id                    = aws_apigatewayv2_api.this.id
  integration_type          = "AWS_PROXY"
  integration_method        = "POST"
  integration_uri           = module.function[each.key].invoke_arn
  content_handling_strategy = "CONVERT_TO_TEXT"
  passthrough_behavior      = "WHEN_NO_MATCH"
}

moved {
  from = aws_apigatewayv2_integration.connect
  to   = aws_apigatewayv2_integration.this["connect"]
}

moved {
  from = aws_apigatewayv2_integration.disconnect
  to   = aws_apigatewayv2_integration.this["disconnect"]
}

moved {
  from = aws_apigatewayv2_integration.default
  to   = aws_apigatewayv2_integration.this["default"]
}

# Only $connect can carry an authorizer on a WebSocket API; once it accepts a
# connection, the connection is authenticated for its lifetime.
resource "aws_apigatewayv2_route" "connect" {
  api_id             = aws_apigatewayv2_api.this.id
  route_key          = "$connect"
  authorization_type = "CUSTOM"
  authorizer_id      = aws_apigatewayv2_authorizer.this.id
  target             = "integrations/${aws_apigatewayv2_integration.this["connect"].id}"
}

resource "aws_apigatewayv2_route" "disconnect" {
  api_id             = aws_apigatewayv2_api.this.id
  route_key          = "$disconnect"
  authorization_type = "NONE"
  target             = "integrations/${aws_apigatewayv2_integration.this["disconnect"].id}"
}

resource "aws_apigatewayv2_route" "default" {
  api_id             = aws_apigatewayv2_api.this.id
  route_key          = "$default"
  authorization_type = "NONE"
  target             = "integrations/${aws_apigatewayv2_integration.this["default"].id}"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}-websocket/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = local.tags
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = var.stage_name
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTime"
      ip                 = "$context.identity.sourceIp"
      connectionId       = "$context.connectionId"
      eventType          = "$context.eventType"
      routeKey           = "$context.routeKey"
      status             = "$context.status"
      integrationStatus  = "$context.integration.status"
      authorizerError    = "$context.authorizer.error"
      principalId        = "$context.authorizer.principalId"
      integrationLatency = "$context.integration.latency"
    })
  }

  default_route_settings {
    throttling_burst_limit   = var.throttling_burst_limit
    throttling_rate_limit    = var.throttling_rate_limit
    logging_level            = "INFO"
    data_trace_enabled       = false
    detailed_metrics_enabled = true
  }

  tags = local.tags

  depends_on = [aws_api_gateway_account.this]
}

# API Gateway may invoke each function only for its own route of this stage,
# and the authorizer only as this API's authorizer.
resource "aws_lambda_permission" "this" {
  for_each = local.functions

  statement_id  = "AllowApiGateway${title(each.key)}"
  action        = "lambda:InvokeFunction"
  function_name = module.function[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn = (each.value.route == null
    ? "${aws_apigatewayv2_api.this.execution_arn}/authorizers/${aws_apigatewayv2_authorizer.this.id}"
    : "${aws_apigatewayv2_api.this.execution_arn}/${var.stage_name}/${each.value.route}"
  )
  source_account = var.account_id
}

moved {
  from = aws_lambda_permission.connect
  to   = aws_lambda_permission.this["connect"]
}

moved {
  from = aws_lambda_permission.disconnect
  to   = aws_lambda_permission.this["disconnect"]
}

moved {
  from = aws_lambda_permission.default
  to   = aws_lambda_permission.this["default"]
}

moved {
  from = aws_lambda_permission.authorizer
  to   = aws_lambda_permission.this["authorizer"]
}

# ---------------------------------------------------------------------------
# Regional custom domain. Every region serves the same name; Route53 latency
# records in global/ pick the region.
# ---------------------------------------------------------------------------
resource "aws_apigatewayv2_domain_name" "this" {
  domain_name = var.domain_name

  domain_name_configuration {
    certificate_arn = var.certificate_arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }

  tags = local.tags
}

resource "aws_apigatewayv2_api_mapping" "this" {
  api_id      = aws_apigatewayv2_api.this.id
  domain_name = aws_apigatewayv2_domain_name.this.id
  stage       = aws_apigatewayv2_stage.this.id
}
