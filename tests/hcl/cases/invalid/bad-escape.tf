locals {
  a = "C:\path"
}
