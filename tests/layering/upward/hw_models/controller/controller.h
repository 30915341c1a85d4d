#pragma once
struct Controller {};
