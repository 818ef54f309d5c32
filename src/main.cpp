#include "cli/app.h"

int main(int argc, char** argv) { return tfwarden::run_cli(argc, argv); }
