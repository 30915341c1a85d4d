#pragma once
// Fixture: the controller uses the PE folder below it.
#include "hw_models/pe/pe.h"
struct Controller {
  Pe pe;
};
