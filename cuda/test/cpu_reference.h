// cpu_reference.h - plain C++ versions of every esm2j op (double accumulation), the yardstick for
// the GPU kernels in the self-test. Layouts match the kernels' (row-major, packed sequences), except
// that attention inputs here are unpadded [N, H, D].
#pragma once

#include <cstdint>
#include <vector>

namespace gpucheck {

using Vec = std::vector<float>;
using IVec = std::vector<int32_t>;

void cpu_embed(const Vec& table, const IVec& tokens, const IVec& cu, int E, int mask_id, bool dropout, Vec& x);
// x += y + b (when y non-empty), out = LN(x) * gamma + beta
void cpu_add_layernorm(Vec& x, const Vec* y, const Vec* b, const Vec& gamma, const Vec& beta, float eps, int N, int E,
                       Vec& out);
// qkv [N, 3E] -> q, k, v [N, H, D]; q scaled then rotated, k rotated (half-split), positions from cu.
void cpu_qkv_rotary(const Vec& qkv, const Vec& bias, const Vec& inv_freq, const IVec& cu, int H, int D, float q_scale,
                    Vec& q, Vec& k, Vec& v);
// q, k, v [N, H, D] -> o [N, H*D]
void cpu_attention(const Vec& q, const Vec& k, const Vec& v, const IVec& cu, int H, int D, float scale, Vec& o);
void cpu_bias_gelu(Vec& y, const Vec& bias, int64_t rows, int cols);
void cpu_pool(const Vec& x, const IVec& cu, int E, Vec& mean, Vec& bos);
// y[rows, out] = x[rows, in] w[out, in]^T
void cpu_gemm(const Vec& x, const Vec& w, int64_t rows, int out_f, int in_f, Vec& y);

struct Error {
    double max_abs = 0, rel_l2 = 0, cosine = 1;
    bool finite = true;
    int64_t worst = -1;  // the element with the largest |got - want| (the first non-finite one, if any)
    float worst_got = 0, worst_want = 0;
};
// Compares got to want over n elements (strides let callers compare sub-blocks).
Error compare(const float* got, const float* want, int64_t n);

}  // namespace gpucheck
