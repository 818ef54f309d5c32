# Shield Advanced protections of the global resources. The regional public
# ALBs are protected next to their definition (modules/alb-public), because
# their ARNs exist only in the regions/ state; the "origins" protection group
# below still groups them by resource type. The Shield Advanced subscription
# itself is an account-level prerequisite (README).
resource "aws_shield_protection" "cloudfront" {
  name         = "${var.name}-cloudfront"
  resource_arn = aws_cloudfront_distribution.main.arn

  tags = local.tags
}

resource "aws_shield_protection" "zone" {
  name         = "${var.name}-zone"
  resource_arn = aws_route53_zone.public.arn

  tags = local.tags
}

resource "aws_shield_protection_group" "edge" {
  protection_group_id = "${var.name}-edge"
  aggregation         = "MAX"
  pattern             = "ARBITRARY"
  members = [
    aws_cloudfront_distribution.main.arn,
    aws_route53_zone.public.arn,
  ]

  tags = local.tags

  depends_on = [aws_shield_protection.cloudfront, aws_shield_protection.zone]
}

resource "aws_shield_protection_group" "origins" {
  protection_group_id = "${var.name}-origins"
  aggregation         = "MEAN"
  pattern             = "BY_RESOURCE_TYPE"
  resource_type       = "APPLICATION_LOAD_BALANCER"

  tags = local.tags
}

# Health-based detection: Shield uses the health of what the distribution
# serves to tell an attack from a traffic spike. The distribution is healthy
# while at least one regional origin is (see aws_route53_health_check.edge).
resource "aws_shield_protection_health_check_association" "cloudfront" {
  shield_protection_id = aws_shield_protection.cloudfront.id
  health_check_arn     = aws_route53_health_check.edge.arn
}
