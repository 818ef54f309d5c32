output "ecs_task_stop_template_id" {
  description = "Id of the ECS task-stop experiment template."
  value       = aws_fis_experiment_template.ecs_task_stop.id
}

output "az_network_disruption_template_id" {
  description = "Id of the AZ network-disruption experiment template."
  value       = aws_fis_experiment_template.az_network_disruption.id
}

output "role_arn" {
  description = "IAM role the experiments run as."
  value       = aws_iam_role.fis.arn
}
