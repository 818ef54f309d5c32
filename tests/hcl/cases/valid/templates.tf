locals {
  escapes   = "tab\tquote\"backslash\\ e-acute \u00e9 emoji \U0001F600"
  interp    = "arn:${var.partition}:s3:::${local.name}/*"
  literal   = "$${not_interpolated} %%{not_a_directive}"
  nested    = "${"${var.inner}-x"}"
  directive = "%{if var.on}yes%{else}no%{endif}"
  loop      = "%{for i, s in var.l}${i}=${s},%{endfor}"
  strip     = "a  ${~ var.x ~}  b"
  multiline = "${
    var.a
  }"
  heredoc = <<EOT
line ${var.a}
  indented $${literal}
EOT
  flush = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [${join(",", var.statements)}]
    }
    EOT
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "${aws_s3_bucket.logs.arn}/*"
    }]
  })
}
