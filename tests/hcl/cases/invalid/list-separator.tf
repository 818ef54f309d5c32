locals {
  list = [1 2]
}
