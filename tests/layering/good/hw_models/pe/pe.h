#pragma once
// Fixture: a PE header that uses nothing above it.
struct Pe {};
