output "vpc_id" {
  description = "Id of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "private_subnet_ids" {
  description = "Ids of the private (workload) subnets, one per AZ."
  value       = aws_subnet.private[*].id
}

output "private_subnet_arns" {
  description = "ARNs of the private subnets, one per AZ (FIS AZ-disruption targets)."
  value       = aws_subnet.private[*].arn
}

output "public_subnet_ids" {
  description = "Ids of the public subnets (public ALB and NAT gateways only)."
  value       = aws_subnet.public[*].id
}

output "private_route_table_ids" {
  description = "Ids of the private route tables."
  value       = aws_route_table.private[*].id
}

output "nat_gateway_ids" {
  description = "Ids of the NAT gateways."
  value       = aws_nat_gateway.this[*].id
}

output "flow_log_id" {
  description = "Id of the VPC flow log."
  value       = aws_flow_log.this.id
}
