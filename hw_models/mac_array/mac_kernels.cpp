#include "hw_models/mac_array/mac_kernels.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define QTSIM_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define QTSIM_CLONES
#endif

namespace qtsim {

QTSIM_CLONES void accumulate_products(std::int32_t* __restrict acc, const std::int32_t* __restrict a,
                                      const std::int32_t* __restrict b, int n) {
  for (int j = 0; j < n; ++j) acc[j] += a[j] * b[j];
}

QTSIM_CLONES void accumulate_dot_products(std::int32_t* __restrict acc, const std::int32_t* __restrict a,
                                          const std::int32_t* __restrict b, int n, int pack) {
  for (int j = 0; j < n; ++j) {
    std::int32_t sum = 0;
    for (int p = 0; p < pack; ++p) sum += a[j * pack + p] * b[j * pack + p];
    acc[j] += sum;
  }
}

QTSIM_CLONES void pass_partial_sums(std::int32_t* __restrict out, const std::int32_t* __restrict in,
                                    const std::int32_t* __restrict a, const std::int32_t* __restrict w, int n,
                                    int pack) {
  if (pack == 1) {
    for (int j = 0; j < n; ++j) out[j] = in[j] + a[j] * w[j];
    return;
  }
  for (int j = 0; j < n; ++j) {
    std::int32_t sum = in[j];
    for (int p = 0; p < pack; ++p) sum += a[j * pack + p] * w[j * pack + p];
    out[j] = sum;
  }
}

}  // namespace qtsim
