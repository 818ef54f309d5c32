output "public_zone_id" {
  description = "Public hosted zone id (input public_zone_id of regions/)."
  value       = aws_route53_zone.public.zone_id
}

output "name_servers" {
  description = "Name servers to delegate the domain to."
  value       = aws_route53_zone.public.name_servers
}

output "cloudfront_distribution_id" {
  description = "Id of the CloudFront distribution."
  value       = aws_cloudfront_distribution.main.id
}

output "cloudfront_domain_name" {
  description = "CloudFront domain name."
  value       = aws_cloudfront_distribution.main.domain_name
}

output "web_acl_arn" {
  description = "ARN of the CLOUDFRONT-scope WAF web ACL."
  value       = aws_wafv2_web_acl.edge.arn
}

output "health_check_ids" {
  description = "Route53 health check id per region."
  value = {
    primary   = aws_route53_health_check.primary.id
    secondary = aws_route53_health_check.secondary.id
  }
}

output "dr_topic_arn" {
  description = "SNS topic of the DR alarms."
  value       = aws_sns_topic.dr.arn
}

output "github_plan_role_arn" {
  description = "Role of the plan jobs (repository variable AWS_PLAN_ROLE_ARN)."
  value       = module.github_oidc.plan_role_arn
}

output "github_apply_role_arn" {
  description = "Role of the apply jobs (variable AWS_APPLY_ROLE_ARN of the production environment)."
  value       = module.github_oidc.apply_role_arn
}
