# The values the plan fixture is made with (scripts/reference-plan.sh), so that
# `tfwarden check reference-terraform/platform` lints the source as that plan.
account_id                       = "123456789012"
domain_name                      = "example.com"
api_image_digest                 = "sha256:0000000000000000000000000000000000000000000000000000000000000000"
worker_image_digest              = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
primary_lambda_artifact_bucket   = "tfw-artifacts-use1"
secondary_lambda_artifact_bucket = "tfw-artifacts-euw1"
jwt_issuer                       = "https://auth.example.com/"
jwt_audience                     = "tfw-api"
alarm_emails                     = ["oncall@example.com"]
