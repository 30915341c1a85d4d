// libsystemc.so refers to sc_main() (its own main() calls it), so every program
// that links SystemC must define it. qtsim's programs (the qtsim command, the
// tests, the benchmarks) have their own main() and drive the SystemC kernel
// directly; this definition only satisfies the linker and is never entered
// (qtsim_sim forces it into every program with --undefined=sc_main and
// exports it with --export-dynamic-symbol=sc_main).
#include <cstdio>
#include <cstdlib>

extern "C" int sc_main(int, char**) {
  std::fprintf(stderr, "qtsim: internal error: sc_main() called; qtsim programs start at main()\n");
  std::abort();
}
