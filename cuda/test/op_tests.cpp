// op_tests.cpp - see op_tests.h. Every kernel of cuda/src (fast and reference variants, fp32/fp16/bf16)
// against cpu_reference.cpp on fresh random inputs; outputs are poisoned with NaN first, so unwritten
// elements fail.
#include "op_tests.h"

#include <cuda_fp16.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "attention.h"
#include "attention_cudnn.h"  // the cuDNN layout helpers are host code: tested under emulation too
#include "bias_gelu.h"
#include "convert.h"
#include "embed.h"
#include "gemm.h"
#include "layernorm.h"
#include "pooling.h"
#include "rotary.h"
#if !defined(ESM2J_EMU)
#include "esm2j.h"
#endif

using namespace esm2j;

namespace gpucheck {

int g_checks = 0, g_failures = 0;
bool g_fail_fast = false;
std::vector<std::string> g_summary;

void print_summary(const char* title) {
    std::printf("\n==== summary (%s) ====\n", title);
    for (const auto& s : g_summary) std::printf("%s\n", s.c_str());
    std::printf("%d passed, %d failed\n", g_checks - g_failures, g_failures);
}

#if defined(ESM2J_EMU)
extern "C" const char* esm2j_emu_last_error_detail();
const char* launch_failure_detail() {
    static std::string s;
    s = std::string("  emulator: ") + esm2j_emu_last_error_detail() + "\n";
    return s.c_str();
}
#else
const char* launch_failure_detail() { return ""; }
#endif

// FP32 host values -> device array of dtype t (converted on the device).
Dev upload(const Vec& v, DType t) {
    Dev f(v.size() * 4);
    CK(cudaMemcpy(f.p, v.data(), v.size() * 4, cudaMemcpyHostToDevice));
    if (t == DType::F32) return f;
    Dev out(v.size() * 2);
    CK(launch_convert(f.p, DType::F32, out.p, t, (int64_t)v.size(), nullptr));
    CK(cudaDeviceSynchronize());
    return out;
}
Dev upload_i(const IVec& v) {
    Dev d(v.size() * 4);
    CK(cudaMemcpy(d.p, v.data(), v.size() * 4, cudaMemcpyHostToDevice));
    return d;
}
Vec download(const void* p, DType t, size_t n) {
    Vec out(n);
    if (t == DType::F32) {
        CK(cudaMemcpy(out.data(), p, n * 4, cudaMemcpyDeviceToHost));
        return out;
    }
    Dev f(n * 4);
    CK(launch_convert(p, t, f.p, DType::F32, (int64_t)n, nullptr));
    CK(cudaMemcpy(out.data(), f.p, n * 4, cudaMemcpyDeviceToHost));
    return out;
}
// The values as dtype t holds them (so the CPU reference sees exactly the GPU's inputs).
Vec rounded(const Vec& v, DType t) {
    if (t == DType::F32) return v;
    Dev d = upload(v, t);
    return download(d.p, t, v.size());
}
void poison(void* p, size_t bytes) { CK(cudaMemset(p, 0xFF, bytes)); }  // NaN in every float type

std::mt19937_64 g_rng(20261127);
Vec randn(size_t n, float stddev, float mean) {
    std::normal_distribution<float> d(mean, stddev);
    Vec v(n);
    for (auto& x : v) x = d(g_rng);
    return v;
}

// Random packed batch with the given sequence lengths (tokens: cls, residues 4..30 with a few masks, eos).
IVec make_cu(const std::vector<int>& lens) {
    IVec cu{0};
    for (int l : lens) cu.push_back(cu.back() + l);
    return cu;
}
IVec make_tokens(const IVec& cu, int mask_id) {
    IVec t(cu.back());
    std::uniform_int_distribution<int> res(4, 30);
    std::uniform_real_distribution<float> u(0, 1);
    for (size_t s = 0; s + 1 < cu.size(); ++s)
        for (int i = cu[s]; i < cu[s + 1]; ++i)
            t[i] = i == cu[s] ? 0 : i == cu[s + 1] - 1 ? 2 : (u(g_rng) < 0.05f ? mask_id : res(g_rng));
    return t;
}

void report(const std::string& what, const Error& e, double tol) {
    ++g_checks;
    const bool ok = e.finite && e.rel_l2 <= tol;
    if (!ok) ++g_failures;
    std::printf("%-4s %-58s rel_l2 %.3e  max_abs %.3e  (tol %.0e)\n", ok ? "ok" : "FAIL", what.c_str(), e.rel_l2,
                e.max_abs, tol);
    if (ok) return;
    char worst[160];
    std::snprintf(worst, sizeof worst, "worst element [%lld]: got %.6g, want %.6g", (long long)e.worst, e.worst_got,
                  e.worst_want);
    std::printf("     %s\n", worst);
    g_summary.push_back("FAIL " + what + ": " + worst);
    if (g_fail_fast) {
        print_summary("stopped at the first failure");
        std::exit(1);
    }
}

namespace {

const char* dname(DType t) { return dtype_name(t); }

double op_tol(DType t) { return t == DType::F32 ? 2e-5 : t == DType::F16 ? 3e-3 : 1.2e-2; }

const Variant kVariants[] = {Variant::Reference, Variant::Fast};
const DType kTypes[] = {DType::F32, DType::F16, DType::BF16};
const char* vname(Variant v) { return v == Variant::Fast ? "fast" : "ref"; }

#if defined(ESM2J_EMU)
bool cudnn_compiled_in() { return false; }  // cuDNN is not emulated
#else
bool cudnn_compiled_in() { return CudnnAttention::compiled_in(); }
#endif

// ============================== (a) op tests ==============================

void test_embed() {
    const int V = 33, mask = 32;
    const IVec cu = make_cu({5, 2, 40, 130}), tok = make_tokens(cu, mask);
    const int N = cu.back(), S = (int)cu.size() - 1;
    // 100: not a multiple of 8, so 2-byte types take the reference path even in the fast variant.
    for (int E : {64, 100, 480, 5120})
        for (DType t : kTypes)
            for (Variant var : kVariants) {
                const Vec table = rounded(randn((size_t)V * E, 1.f), t);
                Vec want;
                cpu_embed(table, tok, cu, E, mask, true, want);
                Dev dt = upload(table, t), dtok = upload_i(tok), dcu = upload_i(cu);
                Dev seq(N * 4), pos(N * 4), scale(S * 4), x((size_t)N * E * 4);
                poison(x.p, x.bytes);
                CK(launch_batch_meta(dtok.as<int>(), dcu.as<int>(), S, mask, 1, seq.as<int>(), pos.as<int>(),
                                     scale.as<float>(), nullptr));
                CK(launch_embed(var, t, dt.p, dtok.as<int>(), dcu.as<int>(), S, seq.as<int>(), scale.as<float>(), N, E,
                                mask, 1, x.as<float>(), nullptr));
                CK(cudaDeviceSynchronize());
                const Vec got = download(x.p, DType::F32, (size_t)N * E);
                report(std::string("embed+dropout E=") + std::to_string(E) + " " + vname(var) + " " + dname(t),
                       compare(got.data(), want.data(), (int64_t)got.size()), 1e-6);
            }
}

void test_layernorm() {
    // Fast kernel: 320 -> 96 threads x 1 chunk, 480 -> 128 threads (8 idle), 1280/2560/5120 -> 256 threads
    // x 2/3/5 chunks; 100 -> one warp, 7 lanes idle. with_y = false is the form encode uses for the first
    // LayerNorm and the LM head's (no residual add).
    for (int E : {64, 100, 320, 480, 1280, 2560, 5120})
        for (bool with_y : {true, false})
            for (DType t : kTypes)
                for (Variant var : kVariants) {
                    if (!with_y && E != 480 && E != 5120) continue;
                    const int N = 37;
                    Vec x = randn((size_t)N * E, 1.f, 0.3f);
                    const Vec y = rounded(randn((size_t)N * E, 1.f), t), b = randn(E, 0.1f), g = randn(E, 0.2f, 1.f),
                              be = randn(E, 0.1f);
                    Vec want, x_want = x;
                    cpu_add_layernorm(x_want, with_y ? &y : nullptr, with_y ? &b : nullptr, g, be, 1e-5f, N, E, want);
                    Dev dx = upload(x, DType::F32), dy = upload(y, t), db = upload(b, DType::F32),
                        dg = upload(g, DType::F32), dbe = upload(be, DType::F32);
                    Dev h((size_t)N * E * dtype_size(t)), f((size_t)N * E * 4);
                    poison(h.p, h.bytes);
                    poison(f.p, f.bytes);
                    CK(launch_add_layernorm(var, t, dx.as<float>(), with_y ? dy.p : nullptr,
                                            with_y ? db.as<float>() : nullptr, dg.as<float>(), dbe.as<float>(), 1e-5f, h.p,
                                            f.as<float>(), N, E, nullptr));
                    CK(cudaDeviceSynchronize());
                    const std::string tag = std::string(with_y ? "add+layernorm E=" : "layernorm E=") + std::to_string(E) +
                                            " " + vname(var) + " " + dname(t);
                    const Vec gx = download(dx.p, DType::F32, x.size()), gh = download(h.p, t, x.size()),
                              gf = download(f.p, DType::F32, x.size());
                    report(tag + " residual", compare(gx.data(), x_want.data(), (int64_t)gx.size()), 1e-6);
                    report(tag + " out", compare(gh.data(), want.data(), (int64_t)gh.size()), op_tol(t));
                    report(tag + " out_f32", compare(gf.data(), want.data(), (int64_t)gf.size()), 1e-5);
                }
}

// Under emulation the longest sequence is 300 tokens instead of 1024 (the position table still holds 1024).
void test_rotary(bool emulated) {
    for (int D : {16, 24, 32, 64, 128})
        for (DType t : kTypes)
            for (Variant var : kVariants) {
                const int H = D == 128 ? 2 : 4, E = H * D, half = D / 2, Dp = padded_head_dim(D);
                const IVec cu = make_cu({1, 3, 70, emulated ? 300 : 1024});
                const int N = cu.back();
                const Vec qkv = rounded(randn((size_t)N * 3 * E, 1.f), t), bias = randn(3 * E, 0.1f);
                Vec inv(half);
                for (int i = 0; i < half; ++i) inv[i] = (float)std::pow(10000.0, -2.0 * i / D);
                inv = rounded(inv, DType::F16);  // published checkpoints store fp16-rounded inv_freq
                const float qs = 1.f / std::sqrt((float)D);
                Vec wq, wk, wv;
                cpu_qkv_rotary(qkv, bias, inv, cu, H, D, qs, wq, wk, wv);
                IVec pos(N);
                for (size_t s = 0; s + 1 < cu.size(); ++s)
                    for (int i = cu[s]; i < cu[s + 1]; ++i) pos[i] = i - cu[s];
                Dev dqkv = upload(qkv, t), db = upload(bias, DType::F32), dinv = upload(inv, DType::F32),
                    dpos = upload_i(pos);
                const size_t one = (size_t)N * H * Dp;
                Dev heads(3 * one * dtype_size(t)), table((size_t)1024 * half * 8);
                poison(heads.p, heads.bytes);
                CK(launch_rope_table(dinv.as<float>(), half, 1024, table.as<float2>(), nullptr));
                HeadLayout lay{heads.p, heads.as<char>() + one * dtype_size(t), heads.as<char>() + 2 * one * dtype_size(t),
                               (int64_t)H * Dp, Dp, Dp};
                CK(launch_qkv_rotary(var, t, dqkv.p, db.as<float>(), dinv.as<float>(), table.as<float2>(),
                                     dpos.as<int>(), N, H, D, qs, lay, nullptr));
                CK(cudaDeviceSynchronize());
                const Vec all = download(heads.p, t, 3 * one);
                const char* names[3] = {"q", "k", "v"};
                const Vec* wants[3] = {&wq, &wk, &wv};
                bool pad_zero = true;
                for (int w = 0; w < 3; ++w) {
                    Vec got((size_t)N * E);
                    for (int i = 0; i < N; ++i)
                        for (int h = 0; h < H; ++h)
                            for (int d = 0; d < Dp; ++d) {
                                const float val = all[w * one + ((size_t)i * H + h) * Dp + d];
                                if (d < D) got[(size_t)i * E + h * D + d] = val; else if (val != 0.f) pad_zero = false;
                            }
                    report(std::string("qkv+rotary D=") + std::to_string(D) + " " + names[w] + " " + vname(var) + " " + dname(t),
                           compare(got.data(), wants[w]->data(), (int64_t)got.size()), op_tol(t));
                }
                ++g_checks;
                if (!pad_zero) {
                    ++g_failures;
                    std::printf("FAIL qkv+rotary D=%d padding dims not zero\n", D);
                }
            }
}

// Attention on a varlen batch: 'backend' 0 = reference, 1 = flash, 2 = cuDNN, 3 = the wide flash variant.
// Lengths: single tokens, below/at/past the 32- and 64-key tiles and the 64-row query tile, one long
// sequence, and 120 short ones so that many sequences share a batch (grid.z) at ragged offsets.
// q has std 4, so scaled scores reach about +-15: without the max subtracted exp overflows FP16 and
// the online softmax's rescaling moves by large factors between key tiles.
// Under emulation (a CPU's minutes): no 1024-token sequence and 40 short ones instead of 120.
void test_attention(int cc_major, bool emulated) {
    std::vector<int> lens = {1, 2, 17, 31, 32, 33, 63, 64, 65, 130, 300};
    if (!emulated) lens.push_back(1024);
    std::uniform_int_distribution<int> short_len(1, 80);
    for (int i = 0; i < (emulated ? 40 : 120); ++i) lens.push_back(short_len(g_rng));
    const int longest = *std::max_element(lens.begin(), lens.end());
    for (int D : {16, 24, 32, 64, 128})
        for (DType t : kTypes) {
            const int H = 3, E = H * D, Dp = padded_head_dim(D);
            const IVec cu = make_cu(lens);
            const int N = cu.back(), S = (int)lens.size();
            const float scale = 1.f / std::sqrt((float)D);
            const Vec q = rounded(randn((size_t)N * E, 4.f), t), k = rounded(randn((size_t)N * E, 1.f), t),
                      v = rounded(randn((size_t)N * E, 1.f), t);
            Vec want;
            cpu_attention(q, k, v, cu, H, D, scale, want);  // once per (D, dtype): the slow part
            for (int backend = 0; backend < 4; ++backend) {
                if (backend == 2 && (t == DType::F32 || !cudnn_compiled_in())) continue;
                // Pack into [N, H, Dp] with zero padding, scale applied through softmax_scale.
                auto pad = [&](const Vec& a) {
                    Vec p((size_t)N * H * Dp, 0.f);
                    for (int i = 0; i < N; ++i)
                        for (int h = 0; h < H; ++h)
                            for (int d = 0; d < D; ++d) p[((size_t)i * H + h) * Dp + d] = a[(size_t)i * E + h * D + d];
                    return p;
                };
                // cuDNN's one-token padding sequences read and write rows past the batch (attention_cudnn.h):
                // every buffer gets those spare rows, as the workspace's have.
                const size_t spare = (size_t)cudnn_pad_rows(S);
                auto spare_rows = [&](Vec a) {
                    a.resize(a.size() + spare * H * Dp, 0.f);
                    return a;
                };
                Dev dq = upload(spare_rows(pad(q)), t), dk = upload(spare_rows(pad(k)), t),
                    dv = upload(spare_rows(pad(v)), t), dcu = upload_i(cu);
                Dev o(((size_t)N + spare) * E * dtype_size(t));
                poison(o.p, o.bytes);
                AttentionParams p = packed_attention_params(dq.p, dk.p, dv.p, o.p, dcu.as<int>(),
                                                            S, N, longest, H, D, Dp, scale, t);
                const char* bname = backend == 0 ? "reference" : backend == 1 ? "flash" : backend == 2 ? "cudnn" : "flash-wide";
                std::string tag = std::string("attention D=") + std::to_string(D) + " " + bname + " " + dname(t);
                if (backend == 0) {
                    CK(launch_attention_reference(p, nullptr));
                } else if (backend == 1 || backend == 3) {
                    const cudaError_t err = backend == 1 ? launch_attention_flash(p, cc_major, nullptr)
                                                         : launch_attention_flash_wide(p, cc_major, nullptr);
                    if (err == cudaErrorNotSupported) {
                        std::printf("skip %s (not supported here)\n", tag.c_str());
                        continue;
                    }
                    CK(err);
                } else {
#if !defined(ESM2J_EMU)
                    std::string why;
                    if (!CudnnAttention::supports(p, &why)) {
                        std::printf("skip %s: %s\n", tag.c_str(), why.c_str());
                        continue;
                    }
                    // Bucketed plans (the default) and exact ones: the same numbers, bitwise if the two graph shapes
                    // get the same engine (reported; batch invariance of the whole model rests on it).
                    Dev o_exact(o.bytes);
                    poison(o_exact.p, o_exact.bytes);
                    bool failed = false;
                    for (const bool buckets : {true, false}) {
                        IVec li(cudnn_seq_entries(S, buckets)), rq(cudnn_ragged_entries(S, buckets)), ro(rq.size());
                        cudnn_fill_batch(cu.data(), S, (int64_t)H * Dp, E, buckets, li.data(), rq.data(), ro.data());
                        Dev dl = upload_i(li), drq = upload_i(rq), dro = upload_i(ro), wsp(64u << 20);
                        CudnnAttention cudnn;
                        cudnn.set_plan_buckets(buckets);
                        bool ran = false;
                        AttentionParams pb = p;
                        if (!buckets) pb.o = o_exact.p;
                        const CudnnBatchInputs batch{dl.as<int>(), drq.as<int>(), dro.as<int>(), cu.data()};
                        const int st = cudnn.run(pb, batch, wsp.p, wsp.bytes, nullptr, &ran, &why);
                        CK(cudaDeviceSynchronize());
                        if (st != ESM2J_OK || !ran) {
                            ++g_checks;
                            ++g_failures;
                            std::printf("FAIL %s%s: cuDNN did not run (status %d): %s %s\n", tag.c_str(),
                                        buckets ? "" : " exact plans", st, why.c_str(), esm2j_last_error());
                            g_summary.push_back("FAIL " + tag + " (did not run)");
                            failed = true;
                            break;
                        }
                    }
                    if (failed) continue;
                    std::vector<char> a(o.bytes), b(o.bytes);
                    const size_t row = (size_t)E * dtype_size(t);
                    CK(cudaMemcpy(a.data(), o.p, (size_t)N * row, cudaMemcpyDeviceToHost));
                    CK(cudaMemcpy(b.data(), o_exact.p, (size_t)N * row, cudaMemcpyDeviceToHost));
                    int differ = 0;
                    for (int i = 0; i < N; ++i) differ += std::memcmp(a.data() + i * row, b.data() + i * row, row) != 0;
                    char line[200];
                    std::snprintf(line, sizeof line, "%s: bucketed plan (%lld seqs) vs exact plan (%d): %d of %d rows differ",
                                  tag.c_str(), (long long)cudnn_graph_batch(S, true), S, differ, N);
                    std::printf("%s\n", line);
                    g_summary.push_back(line);
#endif
                }
                CK(cudaDeviceSynchronize());
                const Vec got = download(o.p, t, (size_t)N * E);
                report(tag, compare(got.data(), want.data(), (int64_t)got.size()), op_tol(t));
                // Per sequence too: a single-token sequence that came out wrong hides in the batch's L2.
                Error worst{};
                int worst_seq = 0;
                for (int s = 0; s < S; ++s) {
                    const size_t off = (size_t)cu[s] * E;
                    const Error e = compare(got.data() + off, want.data() + off, (int64_t)(cu[s + 1] - cu[s]) * E);
                    if (s == 0 || e.rel_l2 > worst.rel_l2) {
                        worst = e;
                        worst_seq = s;
                    }
                }
                report(tag + " worst seq (len " + std::to_string(lens[worst_seq]) + ")", worst, op_tol(t));
            }
        }
}

// The layout of cuDNN's bucketed graphs (attention_cudnn.h), host only: buckets hold at most 25% padding and
// grow with n; padding sequences are one-token sequences packed after each slice's last token, within
// cudnn_pad_rows spare rows; real sequences keep their lengths and offsets; slices start where the header says.
void test_cudnn_layout() {
    int bad = 0;
    auto expect = [&](bool ok, const std::string& what) {
        if (!ok && bad++ < 5) std::printf("     cudnn layout: %s\n", what.c_str());
    };
    int64_t prev = 0;
    for (int64_t n = 1; n <= kMaxGridYZ; ++n) {
        const int64_t b = cudnn_graph_batch(n, true);
        expect(b >= n && b <= kMaxGridYZ && (b - n) * 4 <= n && b >= prev && cudnn_graph_batch(n, false) == n,
               "graph batch of " + std::to_string(n) + " is " + std::to_string(b));
        prev = b;
    }
    for (int len = 1; len <= 4096; ++len) {
        const int s = cudnn_graph_seqlen(len, true), exact = cudnn_graph_seqlen(len, false);
        expect(s % 64 == 0 && s >= exact && exact == (len + 63) / 64 * 64 && (s <= 256 || s * 2 <= exact * 3),
               "graph length of " + std::to_string(len) + " is " + std::to_string(s));
    }
    int64_t distinct = 0;
    for (int64_t n = 1; n <= 1000; ++n) distinct += cudnn_graph_batch(n, true) != cudnn_graph_batch(n - 1, true);
    expect(distinct <= 40, std::to_string(distinct) + " graph batches for 1..1000 sequences");
    const int64_t qkv_row = 96, o_row = 80;
    for (const int S : {1, 7, 9, 13, 152, 1000, 70000, 140000}) {
        IVec lens(S);
        for (int s = 0; s < S; ++s) lens[s] = 2 + (s * 7919) % 37;
        const IVec cu = make_cu(lens);
        for (const bool buckets : {true, false}) {
            IVec li(cudnn_seq_entries(S, buckets)), rq(cudnn_ragged_entries(S, buckets)), ro(rq.size());
            cudnn_fill_batch(cu.data(), S, qkv_row, o_row, buckets, li.data(), rq.data(), ro.data());
            int64_t entries = 0, offsets = 0;
            for (int64_t s0 = 0, k = 0; s0 < S; s0 += kMaxGridYZ, ++k) {
                const int64_t n = std::min<int64_t>(kMaxGridYZ, S - s0), b = cudnn_graph_batch(n, buckets);
                const std::string at = "S=" + std::to_string(S) + " slice " + std::to_string(k) + (buckets ? "" : " exact");
                expect(s0 + k == offsets && s0 == entries, at + ": slice starts at the wrong entries");
                expect(b == n || s0 + n == S, at + ": a slice other than the last is padded");
                expect(b - n <= cudnn_pad_rows(S), at + ": more padding sequences than spare rows");
                const int64_t first = cu[s0], tokens = cu[s0 + n] - first;
                for (int64_t i = 0; i < b; ++i) {
                    const int want = i < n ? lens[s0 + i] : 1;
                    expect(li[s0 + i] == want, at + ": length of sequence " + std::to_string(i));
                    const int64_t row = i < n ? cu[s0 + i] - first : tokens + (i - n);
                    expect(rq[s0 + k + i] == row * qkv_row && ro[s0 + k + i] == row * o_row,
                           at + ": offsets of sequence " + std::to_string(i));
                    expect(rq[s0 + k + i + 1] - rq[s0 + k + i] == (int64_t)want * qkv_row, at + ": offsets not packed");
                }
                entries += b;
                offsets += b + 1;
            }
            expect(entries == (int64_t)li.size() && offsets == (int64_t)rq.size(), "S=" + std::to_string(S) + ": entry counts");
        }
    }
    ++g_checks;
    if (bad) {
        ++g_failures;
        std::printf("FAIL cudnn layout: %d problems\n", bad);
        g_summary.push_back("FAIL cudnn layout");
    } else {
        std::printf("ok   cudnn layout: buckets, padding sequences, slices\n");
    }
}

void test_bias_gelu() {
    // 100: not a multiple of 8, so the fast variant falls back to the reference kernel.
    for (int cols : {1280, 1920, 20480, 100})
        for (DType t : kTypes)
            for (Variant var : kVariants)
                for (bool to_f32 : {false, true}) {
                    const int rows = cols > 4096 ? 5 : 33;
                    const Vec y = rounded(randn((size_t)rows * cols, 2.f), t), b = randn(cols, 0.5f);
                    Vec want = y;
                    cpu_bias_gelu(want, b, rows, cols);
                    Dev dy = upload(y, t), db = upload(b, DType::F32), f((size_t)rows * cols * 4);
                    poison(f.p, f.bytes);
                    CK(launch_bias_gelu(var, t, dy.p, db.as<float>(), to_f32 ? f.as<float>() : nullptr, rows, cols, nullptr));
                    CK(cudaDeviceSynchronize());
                    const Vec got = to_f32 ? download(f.p, DType::F32, y.size()) : download(dy.p, t, y.size());
                    report(std::string("bias+gelu cols=") + std::to_string(cols) + " " + (to_f32 ? "->f32 " : "") +
                               vname(var) + " " + dname(t),
                           compare(got.data(), want.data(), (int64_t)got.size()), to_f32 ? 1e-6 : op_tol(t));
                }
}

void test_pool() {
    for (int E : {320, 480, 5120})
        for (Variant var : kVariants) {
            const IVec cu = make_cu({2, 3, 100, 1024});
            const int N = cu.back(), S = (int)cu.size() - 1;
            const Vec x = randn((size_t)N * E, 1.f);
            Vec wm, wb;
            cpu_pool(x, cu, E, wm, wb);
            Dev dx = upload(x, DType::F32), dcu = upload_i(cu), m((size_t)S * E * 4), b((size_t)S * E * 4);
            poison(m.p, m.bytes);
            poison(b.p, b.bytes);
            CK(launch_pool(var, dx.as<float>(), dcu.as<int>(), S, E, m.as<float>(), b.as<float>(), nullptr));
            CK(cudaDeviceSynchronize());
            const Vec gm = download(m.p, DType::F32, wm.size()), gb = download(b.p, DType::F32, wb.size());
            const std::string tag = " E=" + std::to_string(E) + " " + vname(var);
            report("pool mean" + tag, compare(gm.data(), wm.data(), (int64_t)gm.size()), 1e-6);
            report("pool bos" + tag, compare(gb.data(), wb.data(), (int64_t)gb.size()), 0);
        }
}

void test_bias_add() {
    const int rows = 129, cols = 33;  // logits: V = 33 columns, nothing vector-aligned
    const Vec y = randn((size_t)rows * cols, 1.f), b = randn(cols, 0.5f);
    Vec want = y;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) want[(size_t)r * cols + c] += b[c];
    Dev dy = upload(y, DType::F32), db = upload(b, DType::F32);
    CK(launch_bias_add_f32(dy.as<float>(), db.as<float>(), rows, cols, nullptr));
    CK(cudaDeviceSynchronize());
    const Vec got = download(dy.p, DType::F32, y.size());
    report("bias add f32 (logits)", compare(got.data(), want.data(), (int64_t)got.size()), 0);
}

// Every (source, destination) pair of launch_convert, bit for bit, against host rounding. Inputs go up
// as raw bits (cudaMemcpy) and come back as raw bits, so this does not lean on convert itself the way
// upload()/download() do.
uint16_t host_bf16(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);  // round to nearest even (no NaN here)
}
float host_bf16_to_f32(uint16_t h) {
    const uint32_t u = (uint32_t)h << 16;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}
uint16_t host_f16(float f) {
    const __half_raw r = __float2half_rn(f);
    return r.x;
}
float host_f16_to_f32(uint16_t u) {
    __half_raw r;
    r.x = u;
    return __half2float(__half(r));
}

void test_convert() {
    const int64_t n = 100003;  // odd, not a multiple of the block
    const Vec base = randn((size_t)n, 3.f);
    for (DType src : kTypes) {
        // The source values, exactly representable in src, as bits of src and as float.
        std::vector<uint8_t> src_bits((size_t)n * dtype_size(src));
        Vec value((size_t)n);
        for (int64_t i = 0; i < n; ++i) {
            float v = base[i];
            if (src == DType::BF16) {
                const uint16_t b = host_bf16(v);
                std::memcpy(&src_bits[i * 2], &b, 2);
                v = host_bf16_to_f32(b);
            } else if (src == DType::F16) {
                const uint16_t b = host_f16(v);
                std::memcpy(&src_bits[i * 2], &b, 2);
                v = host_f16_to_f32(b);
            } else {
                std::memcpy(&src_bits[i * 4], &v, 4);
            }
            value[i] = v;
        }
        Dev ds(src_bits.size());
        CK(cudaMemcpy(ds.p, src_bits.data(), src_bits.size(), cudaMemcpyHostToDevice));
        for (DType dst : kTypes) {
            Dev dd((size_t)n * dtype_size(dst));
            poison(dd.p, dd.bytes);
            CK(launch_convert(ds.p, src, dd.p, dst, n, nullptr));
            CK(cudaDeviceSynchronize());
            std::vector<uint8_t> got(dd.bytes);
            CK(cudaMemcpy(got.data(), dd.p, dd.bytes, cudaMemcpyDeviceToHost));
            int64_t wrong = 0;
            for (int64_t i = 0; i < n; ++i) {
                if (dst == DType::F32) {
                    wrong += std::memcmp(&got[i * 4], &value[i], 4) != 0;
                } else {
                    const uint16_t want = dst == DType::BF16 ? host_bf16(value[i]) : host_f16(value[i]);
                    wrong += std::memcmp(&got[i * 2], &want, 2) != 0;
                }
            }
            ++g_checks;
            const std::string tag = std::string("convert ") + dname(src) + "->" + dname(dst);
            if (wrong) {
                ++g_failures;
                g_summary.push_back("FAIL " + tag);
            }
            std::printf("%-4s %-58s %lld of %lld elements differ\n", wrong ? "FAIL" : "ok", tag.c_str(),
                        (long long)wrong, (long long)n);
        }
    }
}

// cuBLASLt (the fast variant) against the CPU and the reference kernel on the library's shapes. Under
// emulation cuBLASLt is cuda/emu/cublaslt_stub.cpp (when the build found cublasLt.h, ESM2J_EMU_CUBLASLT), on
// shapes cut to the CPU's minutes (K not a multiple of the 16-wide tile, ragged rows and columns, one row, the
// LM head's 33 outputs); without it the reference kernel alone.
#if !defined(ESM2J_EMU) || defined(ESM2J_EMU_CUBLASLT)
#define ESM2J_TEST_CUBLASLT 1
#endif
void test_gemm(bool emulated) {
    struct Shape {
        int rows, out, in;
    };
    const std::vector<Shape> shapes =
        emulated ? std::vector<Shape>{{37, 192, 64}, {129, 33, 128}, {1, 40, 72}, {19, 48, 250}, {2, 33, 600}}
                 : std::vector<Shape>{{37, 192, 64},   {300, 1280, 320}, {129, 33, 128},  {256, 2560, 640},
                                      {131, 1440, 480}, {6, 5120, 1280},  {3, 1280, 5120}, {2, 33, 5120}};
#if defined(ESM2J_TEST_CUBLASLT)
    Dev lt_ws(32u << 20);
    GemmRunner runner;
    EK(runner.init(lt_ws.p, lt_ws.bytes));
    const Variant variants[] = {Variant::Reference, Variant::Fast};
#else
    std::printf("note gemm: cublasLt.h was not found for this build: the reference GEMM kernel only\n");
    const Variant variants[] = {Variant::Reference};
#endif
    for (const Shape& s : shapes)
        for (DType t : kTypes)
            for (Variant var : variants)
                for (int form = 0; form < 3; ++form) {  // 0: Y in t; 1: FP32 Y; 2: FP32 Y + bias (epilogue)
                    const bool out_f32 = form > 0, with_bias = form == 2;
                    if (form == 1 && t == DType::F32) continue;
                    const Vec x = rounded(randn((size_t)s.rows * s.in, 1.f), t),
                              w = rounded(randn((size_t)s.out * s.in, 0.05f), t), bias = randn((size_t)s.out, 1.f);
                    Vec want;
                    cpu_gemm(x, w, s.rows, s.out, s.in, want);
                    if (with_bias)
                        for (size_t i = 0; i < want.size(); ++i) want[i] += bias[i % s.out];
                    const DType ot = out_f32 ? DType::F32 : t;
                    Dev dx = upload(x, t), dw = upload(w, t), y((size_t)s.rows * s.out * dtype_size(ot)),
                        db = upload(bias, DType::F32);
                    poison(y.p, y.bytes);
                    const GemmShape g{dx.p, dw.p, y.p, s.rows, s.out, s.in, t, ot, with_bias ? db.as<float>() : nullptr};
#if defined(ESM2J_TEST_CUBLASLT)
                    EK(runner.run(var, g, nullptr));
#else
                    if (with_bias) continue;  // the bias belongs to GemmRunner::run
                    CK(launch_gemm_reference(g, nullptr));
#endif
                    CK(cudaDeviceSynchronize());
                    const Vec got = download(y.p, ot, want.size());
                    char tag[128];
                    std::snprintf(tag, sizeof tag, "gemm %dx%dx%d %s %s->%s%s", s.rows, s.out, s.in,
                                  var == Variant::Fast ? "cublasLt" : "ref", dname(t), dname(ot), with_bias ? " +bias" : "");
                    report(tag, compare(got.data(), want.data(), (int64_t)got.size()), out_f32 ? 1e-5 : op_tol(t));
                }
#if defined(ESM2J_TEST_CUBLASLT)
    std::printf("gemm: cuBLASLt fell back to the reference kernel %lld time(s)\n", (long long)runner.fallbacks());
#endif
}

#if defined(ESM2J_TEST_CUBLASLT)
// Batch invariance of the cuBLASLt path (gemm.cpp, GemmAlgoChoice::Invariant): the first r rows of X through the
// GEMM give bitwise the first r rows of the result for the whole X, for every r, because the algorithm does not
// change with the row count and never splits K. Also the plan cache: one heuristic query per shape, whatever the
// row counts (no re-planning per batch). The per-row-bucket choice is measured the same way and only reported.
void test_gemm_invariance(bool emulated) {
    struct Shape {
        int out, in;
    };
    const std::vector<Shape> shapes = emulated ? std::vector<Shape>{{48, 128}, {33, 72}}
                                               : std::vector<Shape>{{1280, 1280}, {5120, 1280}, {1280, 5120}, {33, 1280}};
    const std::vector<int> rows = emulated ? std::vector<int>{1, 5, 64, 300, 1031}
                                           : std::vector<int>{1, 7, 100, 1000, 4099, 16384};
    const int full = rows.back();
    Dev lt_ws(32u << 20);
    for (GemmAlgoChoice choice : {GemmAlgoChoice::Invariant, GemmAlgoChoice::PerRowBucket}) {
        GemmRunner runner;
        EK(runner.init(lt_ws.p, lt_ws.bytes));
        runner.set_choice(choice);
        const bool invariant = choice == GemmAlgoChoice::Invariant;
        int planned_shapes = 0;
        for (DType t : {DType::F32, DType::BF16})
            for (const Shape& s : shapes) {
                const DType ot = t;
                // X tiles one block of random values (16,384 x 5,120 fresh ones would take the host seconds).
                const Vec block = randn((size_t)1 << 20, 1.f), w = randn((size_t)s.out * s.in, 0.05f);
                Vec x((size_t)full * s.in);
                for (size_t i = 0; i < x.size(); ++i) x[i] = block[(i * 7 + i / block.size()) % block.size()];
                Dev dx = upload(x, t), dw = upload(w, t);
                const size_t row_bytes = (size_t)s.out * dtype_size(ot);
                // One output buffer for every row count, as the library's workspace (the same pointer alignment).
                Dev y((size_t)full * row_bytes);
                std::vector<std::vector<uint8_t>> got;
                for (int r : rows) {
                    poison(y.p, y.bytes);
                    EK(runner.run(Variant::Fast, GemmShape{dx.p, dw.p, y.p, r, s.out, s.in, t, ot}, nullptr));
                    CK(cudaDeviceSynchronize());
                    got.emplace_back((size_t)r * row_bytes);
                    CK(cudaMemcpy(got.back().data(), y.p, got.back().size(), cudaMemcpyDeviceToHost));
                }
                ++planned_shapes;
                // Row i of every smaller run against row i of the full one.
                int64_t differ = 0, compared = 0;
                for (size_t j = 0; j + 1 < rows.size(); ++j)
                    for (int i = 0; i < rows[j]; ++i, ++compared)
                        differ += std::memcmp(&got[j][(size_t)i * row_bytes], &got.back()[(size_t)i * row_bytes],
                                              row_bytes) != 0;
                char tag[160];
                std::snprintf(tag, sizeof tag, "gemm batch invariance %s %dx%d %s, rows 1..%d", invariant ? "invariant" : "per-rows",
                              s.out, s.in, dname(t), full);
                if (invariant) {
                    ++g_checks;
                    if (differ) {
                        ++g_failures;
                        g_summary.push_back(std::string("FAIL ") + tag);
                    }
                    std::printf("%-4s %-58s %lld of %lld rows differ bitwise\n", differ ? "FAIL" : "ok", tag,
                                (long long)differ, (long long)compared);
                } else {
                    std::printf("note %-58s %lld of %lld rows differ bitwise (not promised)\n", tag, (long long)differ,
                                (long long)compared);
                }
            }
        // One plan and one heuristic query per shape and dtype, whatever the row counts (Invariant); a few per
        // shape (one per row bucket) for PerRowBucket.
        const std::string tag = std::string("gemm plans ") + (invariant ? "invariant" : "per-rows");
        const bool ok = invariant ? runner.heuristic_queries() == planned_shapes &&
                                        runner.plan_count() == (size_t)planned_shapes
                                  : runner.plan_count() <= (size_t)planned_shapes * rows.size();
        ++g_checks;
        if (!ok) {
            ++g_failures;
            g_summary.push_back("FAIL " + tag);
        }
        std::printf("%-4s %-58s %zu plans, %lld heuristic queries for %d shapes x %zu row counts; %lld fallbacks\n",
                    ok ? "ok" : "FAIL", tag.c_str(), runner.plan_count(), (long long)runner.heuristic_queries(),
                    planned_shapes, rows.size(), (long long)runner.fallbacks());
    }
}
#endif

}  // namespace

void run_op_tests(const OpTestOptions& o) {
    auto want = [&](const char* name) { return o.only.empty() || std::string(name).find(o.only) != std::string::npos; };
    if (want("embed")) test_embed();
    if (want("layernorm")) test_layernorm();
    if (want("rotary")) test_rotary(o.emulated);
    if (want("attention")) test_attention(o.cc_major, o.emulated);
    if (want("cudnn_layout")) test_cudnn_layout();
    if (want("bias_gelu")) test_bias_gelu();
    if (want("pool")) test_pool();
    if (want("bias_add")) test_bias_add();
    if (want("convert")) test_convert();
    if (want("gemm")) test_gemm(o.emulated);
#if defined(ESM2J_TEST_CUBLASLT)
    if (want("gemm")) test_gemm_invariance(o.emulated);
#endif
}

}  // namespace gpucheck
