locals {
  no_final_newline = 1
}