output "table_name" {
  description = "Name of the table (same in every region)."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the table in its home region."
  value       = aws_dynamodb_table.this.arn
}

output "stream_arn" {
  description = "Stream ARN of the table in its home region."
  value       = aws_dynamodb_table.this.stream_arn
}

output "replica_arns" {
  description = "ARN of each replica, keyed by region."
  value       = { for r in aws_dynamodb_table.this.replica : r.region_name => r.arn }
}
