output "aurora_global_cluster_id" {
  description = "Aurora global cluster identifier (used by the failover runbook)."
  value       = aws_rds_global_cluster.this.id
}

output "aurora_cluster_arns" {
  description = "Aurora cluster ARN per region."
  value = {
    primary   = module.primary.aurora_cluster_arn
    secondary = module.secondary.aurora_cluster_arn
  }
}

output "dynamodb_table_name" {
  description = "Name of the DynamoDB global table."
  value       = module.dynamodb.table_name
}

output "backup_vault_arns" {
  description = "Backup vault ARN per region."
  value = {
    primary   = module.primary.backup_vault_arn
    secondary = module.secondary.backup_vault_arn
  }
}

output "origin_hostnames" {
  description = "Regional origin names (global/ derives the same names from the region names)."
  value = {
    primary   = module.primary.origin_hostname
    secondary = module.secondary.origin_hostname
  }
}

output "websocket_hostnames" {
  description = "Regional WebSocket names behind the ws. latency records."
  value = {
    primary   = module.primary.websocket_hostname
    secondary = module.secondary.websocket_hostname
  }
}

output "public_alb_arns" {
  description = "Public ALB ARN per region (Shield-protected in the regional stack)."
  value = {
    primary   = module.primary.public_alb_arn
    secondary = module.secondary.public_alb_arn
  }
}

output "codedeploy_deployment_groups" {
  description = "CodeDeploy deployment group of the API per region."
  value = {
    primary   = module.primary.codedeploy_deployment_group_name
    secondary = module.secondary.codedeploy_deployment_group_name
  }
}
