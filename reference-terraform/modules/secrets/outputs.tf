output "secret_arn" {
  description = "ARN of the secret."
  value       = aws_secretsmanager_secret.this.arn
}

output "secret_name" {
  description = "Name of the secret."
  value       = aws_secretsmanager_secret.this.name
}

output "rotation_lambda_arn" {
  description = "ARN of the rotation function."
  value       = module.rotation_function.arn
}
