#pragma once
// Fixture: a plain header (no SystemC module) that includes SystemC.
#include <systemc>
struct Pe {};
