locals {
  a = @
}
