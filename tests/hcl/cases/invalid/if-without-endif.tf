locals {
  a = "%{if var.x}y"
}
