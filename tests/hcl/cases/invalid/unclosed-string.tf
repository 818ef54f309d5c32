locals {
  name = "no end
}
