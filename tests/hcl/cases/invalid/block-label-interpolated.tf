resource "aws_s3_bucket" "${var.name}" {
}
