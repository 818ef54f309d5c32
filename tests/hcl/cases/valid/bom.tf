locals {
  bom = 1
}
