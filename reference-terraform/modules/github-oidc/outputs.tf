output "oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider."
  value       = aws_iam_openid_connect_provider.github.arn
}

output "plan_role_arn" {
  description = "Role of plan.yml and the plan jobs of apply.yml (repository variable AWS_PLAN_ROLE_ARN)."
  value       = aws_iam_role.plan.arn
}

output "apply_role_arn" {
  description = "Role of the apply jobs of apply.yml (environment variable AWS_APPLY_ROLE_ARN of production)."
  value       = aws_iam_role.apply.arn
}
