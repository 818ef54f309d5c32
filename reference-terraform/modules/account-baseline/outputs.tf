output "guardduty_detector_id" {
  description = "GuardDuty detector of this region."
  value       = aws_guardduty_detector.this.id
}

output "config_recorder_name" {
  description = "AWS Config recorder of this region."
  value       = aws_config_configuration_recorder.this.name
}

output "config_bucket" {
  description = "Bucket of this region's configuration history."
  value       = aws_s3_bucket.config.id
}
