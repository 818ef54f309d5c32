output "public_zone_id" {
  description = "Public hosted zone id."
  value       = module.global.public_zone_id
}

output "cloudfront_distribution_id" {
  description = "Id of the CloudFront distribution."
  value       = module.global.cloudfront_distribution_id
}

output "aurora_global_cluster_id" {
  description = "Aurora global cluster identifier."
  value       = module.regions.aurora_global_cluster_id
}

output "public_alb_arns" {
  description = "Public ALB ARN per region."
  value       = module.regions.public_alb_arns
}
