output "region" {
  description = "Region of this stack."
  value       = data.aws_region.current.name
}

output "kms_key_arn" {
  description = "Regional customer-managed KMS key."
  value       = module.kms.key_arn
}

output "backup_vault_arn" {
  description = "Backup vault of this region (copy destination for the other region)."
  value       = module.backup.vault_arn
}

output "aurora_cluster_arn" {
  description = "Aurora cluster of this region."
  value       = module.aurora.cluster_arn
}

output "aurora_global_cluster_identifier" {
  description = "Global cluster id, known once this region's cluster has its instances (join_after of the other region)."
  value       = module.aurora.global_cluster_identifier
}

output "vpc_id" {
  description = "VPC of this region."
  value       = module.network.vpc_id
}

output "public_alb_arn" {
  description = "Public ALB of this region."
  value       = module.alb_public.alb_arn
}

output "origin_hostname" {
  description = "Regional origin name CloudFront and the health checks use."
  value       = aws_route53_record.origin.fqdn
}

output "websocket_hostname" {
  description = "Regional WebSocket name the latency records point at."
  value       = aws_route53_record.websocket.fqdn
}

output "websocket_api_endpoint" {
  description = "Default endpoint of the WebSocket API."
  value       = module.websocket.api_endpoint
}

output "ecs_cluster_name" {
  description = "ECS cluster of this region."
  value       = module.ecs.cluster_name
}

output "codedeploy_deployment_group_name" {
  description = "CodeDeploy deployment group of the API service."
  value       = module.ecs.codedeploy_deployment_group_name
}

output "alarm_topic_arn" {
  description = "SNS topic of this region's alarms."
  value       = module.observability.topic_arn
}

output "app_secret_arn" {
  description = "Application secret of this region."
  value       = module.app_secret.secret_arn
}
