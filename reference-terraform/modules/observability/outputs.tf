output "topic_arn" {
  description = "ARN of the alarm topic."
  value       = aws_sns_topic.alarms.arn
}

output "availability_alarm_arn" {
  description = "ARN of the SLO availability alarm."
  value       = aws_cloudwatch_metric_alarm.availability.arn
}

output "target_errors_alarm_arn" {
  description = "ARN of the fast target-5xx alarm (chaos stop condition)."
  value       = aws_cloudwatch_metric_alarm.target_errors.arn
}

output "rollback_alarm_names" {
  description = "Alarms that stop and roll back deployments."
  value = [
    aws_cloudwatch_metric_alarm.target_errors.alarm_name,
    aws_cloudwatch_metric_alarm.availability.alarm_name,
  ]
}

output "burn_rate_alarm_arns" {
  description = "ARNs of the fast and slow burn-rate alarms."
  value = {
    fast = aws_cloudwatch_metric_alarm.burn_rate_fast.arn
    slow = aws_cloudwatch_metric_alarm.burn_rate_slow.arn
  }
}
