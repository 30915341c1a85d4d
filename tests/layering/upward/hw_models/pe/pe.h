#pragma once
// Fixture: a PE header reaching up to the controller, which comes after it.
#include "hw_models/controller/controller.h"
struct Pe {};
