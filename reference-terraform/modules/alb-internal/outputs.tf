output "alb_arn" {
  description = "ARN of the internal ALB."
  value       = aws_lb.this.arn
}

output "alb_dns_name" {
  description = "DNS name of the internal ALB."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Route53 zone id of the internal ALB (alias target)."
  value       = aws_lb.this.zone_id
}

output "security_group_id" {
  description = "Security group of the internal ALB."
  value       = aws_security_group.this.id
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener."
  value       = aws_lb_listener.https.arn
}

output "target_group_arn" {
  description = "ARN of the worker target group."
  value       = aws_lb_target_group.worker.arn
}
