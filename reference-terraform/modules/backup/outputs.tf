output "vault_arn" {
  description = "ARN of the backup vault (copy destination for the other region)."
  value       = aws_backup_vault.this.arn
}

output "vault_name" {
  description = "Name of the backup vault."
  value       = aws_backup_vault.this.name
}

output "plan_id" {
  description = "Id of the backup plan."
  value       = aws_backup_plan.this.id
}

output "role_arn" {
  description = "IAM role AWS Backup uses for backups and restores."
  value       = aws_iam_role.backup.arn
}
