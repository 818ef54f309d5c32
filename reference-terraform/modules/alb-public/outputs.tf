output "alb_arn" {
  description = "ARN of the public ALB."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the public ALB (CloudWatch dimension)."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the public ALB."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Route53 zone id of the public ALB (alias target)."
  value       = aws_lb.this.zone_id
}

output "security_group_id" {
  description = "Security group the ALB uses towards its targets (targets allow ingress from it)."
  value       = aws_security_group.cloudfront.id
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener (CodeDeploy production traffic route)."
  value       = aws_lb_listener.https.arn
}

output "blue_target_group_arn" {
  description = "ARN of the blue target group."
  value       = aws_lb_target_group.blue.arn
}

output "blue_target_group_name" {
  description = "Name of the blue target group."
  value       = aws_lb_target_group.blue.name
}

output "green_target_group_name" {
  description = "Name of the green target group."
  value       = aws_lb_target_group.green.name
}

output "access_logs_bucket" {
  description = "Name of the ALB access-log bucket (shared with the internal ALB)."
  value       = aws_s3_bucket.access_logs.id
}

output "shield_protection_id" {
  description = "Id of the Shield Advanced protection of the ALB."
  value       = aws_shield_protection.this.id
}
