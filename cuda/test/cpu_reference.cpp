// cpu_reference.cpp - see cpu_reference.h. Straight loops, double accumulators.
#include "cpu_reference.h"

#include <algorithm>
#include <cmath>

namespace gpucheck {

void cpu_embed(const Vec& table, const IVec& tokens, const IVec& cu, int E, int mask_id, bool dropout, Vec& x) {
    const int N = (int)tokens.size();
    x.assign((size_t)N * E, 0.f);
    for (size_t s = 0; s + 1 < cu.size(); ++s) {
        int n_mask = 0;
        for (int t = cu[s]; t < cu[s + 1]; ++t) n_mask += tokens[t] == mask_id;
        const int len = cu[s + 1] - cu[s];
        const double scale = dropout ? (1.0 - 0.15 * 0.8) / (1.0 - (double)n_mask / len) : 1.0;
        for (int t = cu[s]; t < cu[s + 1]; ++t)
            for (int e = 0; e < E; ++e)
                x[(size_t)t * E + e] =
                    (dropout && tokens[t] == mask_id) ? 0.f : (float)(table[(size_t)tokens[t] * E + e] * scale);
    }
}

void cpu_add_layernorm(Vec& x, const Vec* y, const Vec* b, const Vec& gamma, const Vec& beta, float eps, int N, int E,
                       Vec& out) {
    out.assign((size_t)N * E, 0.f);
    for (int r = 0; r < N; ++r) {
        float* xr = &x[(size_t)r * E];
        if (y)
            for (int e = 0; e < E; ++e) xr[e] = (float)((double)xr[e] + (*y)[(size_t)r * E + e] + (b ? (*b)[e] : 0.0));
        double mean = 0;
        for (int e = 0; e < E; ++e) mean += xr[e];
        mean /= E;
        double var = 0;
        for (int e = 0; e < E; ++e) var += (xr[e] - mean) * (xr[e] - mean);
        var /= E;
        const double rstd = 1.0 / std::sqrt(var + eps);
        for (int e = 0; e < E; ++e) out[(size_t)r * E + e] = (float)((xr[e] - mean) * rstd * gamma[e] + beta[e]);
    }
}

void cpu_qkv_rotary(const Vec& qkv, const Vec& bias, const Vec& inv_freq, const IVec& cu, int H, int D, float q_scale,
                    Vec& q, Vec& k, Vec& v) {
    const int E = H * D, half = D / 2;
    const int N = cu.back();
    q.assign((size_t)N * E, 0.f);
    k.assign((size_t)N * E, 0.f);
    v.assign((size_t)N * E, 0.f);
    for (size_t s = 0; s + 1 < cu.size(); ++s)
        for (int t = cu[s]; t < cu[s + 1]; ++t) {
            const int pos = t - cu[s];
            const float* row = &qkv[(size_t)t * 3 * E];
            for (int h = 0; h < H; ++h)
                for (int d = 0; d < D; ++d) {
                    const int c = h * D + d, i = d < half ? d : d - half, cp = d < half ? c + half : c - half;
                    const double ang = (double)pos * inv_freq[i], cs = std::cos(ang), sn = std::sin(ang);
                    const double sign = d < half ? -1.0 : 1.0;
                    const double xq = ((double)row[c] + bias[c]) * q_scale, pq = ((double)row[cp] + bias[cp]) * q_scale;
                    const double xk = (double)row[E + c] + bias[E + c], pk = (double)row[E + cp] + bias[E + cp];
                    q[(size_t)t * E + c] = (float)(xq * cs + sign * pq * sn);
                    k[(size_t)t * E + c] = (float)(xk * cs + sign * pk * sn);
                    v[(size_t)t * E + c] = (float)((double)row[2 * E + c] + bias[2 * E + c]);
                }
        }
}

void cpu_attention(const Vec& q, const Vec& k, const Vec& v, const IVec& cu, int H, int D, float scale, Vec& o) {
    const int E = H * D, N = cu.back();
    o.assign((size_t)N * E, 0.f);
    std::vector<double> s, acc(D);
    for (size_t b = 0; b + 1 < cu.size(); ++b) {
        const int a = cu[b], len = cu[b + 1] - cu[b];
        s.resize(len);
        for (int h = 0; h < H; ++h)
            for (int i = 0; i < len; ++i) {
                double m = -INFINITY;
                for (int u = 0; u < len; ++u) {
                    double d = 0;
                    for (int x = 0; x < D; ++x) d += (double)q[(size_t)(a + i) * E + h * D + x] * k[(size_t)(a + u) * E + h * D + x];
                    s[u] = d * scale;
                    m = std::max(m, s[u]);
                }
                double l = 0;
                std::fill(acc.begin(), acc.end(), 0.0);
                for (int u = 0; u < len; ++u) {
                    const double e = std::exp(s[u] - m);
                    l += e;
                    for (int x = 0; x < D; ++x) acc[x] += e * v[(size_t)(a + u) * E + h * D + x];
                }
                for (int x = 0; x < D; ++x) o[(size_t)(a + i) * E + h * D + x] = (float)(acc[x] / l);
            }
    }
}

void cpu_bias_gelu(Vec& y, const Vec& bias, int64_t rows, int cols) {
    for (int64_t r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const double x = (double)y[(size_t)(r * cols + c)] + bias[c];
            y[(size_t)(r * cols + c)] = (float)(0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))));
        }
}

void cpu_pool(const Vec& x, const IVec& cu, int E, Vec& mean, Vec& bos) {
    const size_t S = cu.size() - 1;
    mean.assign(S * E, 0.f);
    bos.assign(S * E, 0.f);
    for (size_t s = 0; s < S; ++s)
        for (int e = 0; e < E; ++e) {
            bos[s * E + e] = x[(size_t)cu[s] * E + e];
            double acc = 0;
            for (int t = cu[s] + 1; t < cu[s + 1] - 1; ++t) acc += x[(size_t)t * E + e];
            const int n = cu[s + 1] - cu[s] - 2;
            mean[s * E + e] = n > 0 ? (float)(acc / n) : 0.f;
        }
}

void cpu_gemm(const Vec& x, const Vec& w, int64_t rows, int out_f, int in_f, Vec& y) {
    y.assign((size_t)(rows * out_f), 0.f);
    for (int64_t r = 0; r < rows; ++r)
        for (int o = 0; o < out_f; ++o) {
            double acc = 0;
            const float* xr = &x[(size_t)(r * in_f)];
            const float* wr = &w[(size_t)o * in_f];
            for (int i = 0; i < in_f; ++i) acc += (double)xr[i] * wr[i];
            y[(size_t)(r * out_f + o)] = (float)acc;
        }
}

Error compare(const float* got, const float* want, int64_t n) {
    Error e;
    double diff2 = 0, ref2 = 0, got2 = 0, dot = 0;
    for (int64_t i = 0; i < n; ++i) {
        const double d = (double)got[i] - want[i];
        if (!std::isfinite(got[i]) && e.finite) {
            e.finite = false;
            e.worst = i;
        }
        diff2 += d * d;
        ref2 += (double)want[i] * want[i];
        got2 += (double)got[i] * got[i];
        dot += (double)got[i] * want[i];
        if (std::fabs(d) > e.max_abs || e.worst < 0) {
            e.max_abs = std::max(e.max_abs, std::fabs(d));
            if (e.finite) e.worst = i;
        }
    }
    e.rel_l2 = ref2 > 0 ? std::sqrt(diff2 / ref2) : std::sqrt(diff2);
    e.cosine = (ref2 > 0 && got2 > 0) ? dot / std::sqrt(ref2 * got2) : (diff2 == 0 ? 1.0 : 0.0);
    if (e.worst >= 0) {
        e.worst_got = got[e.worst];
        e.worst_want = want[e.worst];
    }
    if (!e.finite) {
        e.rel_l2 = INFINITY;
        e.cosine = 0;
    }
    return e;
}

}  // namespace gpucheck
