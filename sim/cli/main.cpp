#include <iostream>
#include "qtsim_version.h"
int main() { std::cout << qtsim::kVersion << "\n"; }
