# The DynamoDB global table. It is created once, from the primary region; its
# replica lives in the other region, encrypted with that region's own
# customer-managed key and with its own point-in-time recovery. A region that
# only hosts a replica does not instantiate this module.
resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  table_class                 = "STANDARD"
  deletion_protection_enabled = true

  # Global tables replicate through streams.
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  ttl {
    attribute_name = var.ttl_attribute
    enabled        = true
  }

  # A static block, not `dynamic`: Terraform leaves dynamic blocks out of the
  # plan's configuration, and a policy check needs to see that the replica's
  # key is this platform's customer-managed key of the replica region. Add a
  # block per further region.
  replica {
    region_name            = var.replica_region_name
    kms_key_arn            = var.replica_kms_key_arn
    point_in_time_recovery = true
    propagate_tags         = true
  }

  tags = merge(var.tags, { Module = "dynamodb" })

  lifecycle {
    prevent_destroy = true
  }
}
