output "cluster_arn" {
  description = "ARN of the regional Aurora cluster."
  value       = aws_rds_cluster.this.arn
}

output "cluster_id" {
  description = "Identifier of the regional Aurora cluster."
  value       = aws_rds_cluster.this.id
}

output "cluster_resource_id" {
  description = "Resource id of the cluster (rds-db:connect ARNs)."
  value       = aws_rds_cluster.this.cluster_resource_id
}

output "endpoint" {
  description = "Writer endpoint of the cluster."
  value       = aws_rds_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint of the cluster."
  value       = aws_rds_cluster.this.reader_endpoint
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_rds_cluster.this.port
}

output "security_group_id" {
  description = "Security group of the cluster."
  value       = aws_security_group.this.id
}

# Read by the secondary region as its join_after input: it becomes known only
# once this cluster has its instances, as Aurora requires before a secondary
# cluster can join the global database.
output "global_cluster_identifier" {
  description = "Global cluster identifier, available once this cluster and its instances exist."
  value       = aws_rds_cluster.this.global_cluster_identifier
  depends_on  = [aws_rds_cluster_instance.this]
}
