# Every expression form of HCL's native syntax, as Terraform configurations write them.
locals {
  number   = 1.5e3
  negative = -42
  not_true = !true
  nothing  = null
  list     = [1, "two", [3], { four = 4 },]
  object   = { a = 1, "b" = 2, c : 3, (local.key) = 4 }
  math     = 1 + 2 * 3 - 4 / 2 % 3
  logic    = local.a || local.b && !local.c == local.d
  compare  = local.n < 3 ? "lo" : local.n >= 10 ? "hi" : "mid"
  parens   = (1 + 2) * 3
  attr     = var.settings.network.cidr
  index    = var.subnets[0].id
  legacy   = var.subnets.0.id
  map_key  = var.tags["Name"]
  splat    = aws_subnet.private[*].id
  attr_sp  = aws_subnet.private.*.id
  deep_sp  = var.groups[*].rules[0].cidr
  call     = merge(local.object, { extra = true })
  expand   = concat(local.lists...)
  provfn   = provider::aws::arn_parse(var.arn).region
  for_list = [for s in var.subnets : s.id if s.public]
  for_map  = { for k, v in var.services : k => v.port }
  grouped  = { for s in var.subnets : s.az => s.id... }
  keywords = { in = 2, if = 3, endfor = 4 }
  multi = [
    1,
    2,
  ]
  args = join(",",
    var.names,
  )
  nested = {
    a = {
      b = [for x in var.l :
        upper(x)
      ]
    }
  }
}
