/* no_gpu_test.c - with no GPU visible (ctest sets CUDA_VISIBLE_DEVICES=-1), every entry point of
 * libesm2j must answer with a clean status and a message instead of crashing: this is what the
 * JVM sees on a machine without a GPU. Also checks the NULL-handle answers and the pure queries. */
#include <stdio.h>
#include <string.h>

#include "esm2j.h"

static int failures = 0, checks = 0;

static void expect(const char* what, int got, int want, int need_message) {
    const char* msg = esm2j_last_error();
    ++checks;
    if (msg == NULL) {
        printf("FAIL %s: esm2j_last_error() returned NULL\n", what);
        ++failures;
        return;
    }
    if (got != want || (need_message && msg[0] == '\0') || (!need_message && msg[0] != '\0')) {
        printf("FAIL %s: status %d (want %d), message \"%s\"\n", what, got, want, msg);
        ++failures;
        return;
    }
    printf("ok   %-40s status %d  %s\n", what, got, msg);
}

int main(void) {
    esm2j_model_config cfg;
    esm2j_model* model = (esm2j_model*)0;
    esm2j_workspace* ws = (esm2j_workspace*)0;
    int32_t count = -1, value = 0, backend = 0;
    uint64_t free_b = 0, total_b = 0, bytes = 0;
    int64_t fallbacks = -1;
    const char* note = 0;
    float one = 1.f;
    int32_t tokens[3] = {0, 5, 2}, cu[2] = {0, 3}, layers[1] = {0};
    float mean[64];
    esm2j_encode_request req;

    memset(&cfg, 0, sizeof cfg);
    cfg.num_layers = 2; cfg.hidden_size = 64; cfg.num_heads = 4; cfg.intermediate_size = 256;
    cfg.vocab_size = 33; cfg.layer_norm_eps = 1e-5f; cfg.token_dropout = 1; cfg.mask_token_id = 32;
    cfg.compute_dtype = ESM2J_DTYPE_F32;

    if (esm2j_abi_version() != ESM2J_ABI_VERSION) {
        printf("FAIL abi version %d != %d\n", esm2j_abi_version(), ESM2J_ABI_VERSION);
        ++failures;
    }
    if (esm2j_version_string() == NULL || esm2j_version_string()[0] == '\0') {
        printf("FAIL version string empty\n");
        ++failures;
    } else {
        printf("version: %s\n", esm2j_version_string());
    }

    /* Pure queries work without a device. */
    expect("model_bytes", esm2j_model_bytes(&cfg, &bytes), ESM2J_OK, 0);
    if (bytes == 0) { printf("FAIL model_bytes gave 0\n"); ++failures; }
    printf("     tiny model weights: %llu bytes\n", (unsigned long long)bytes);
    cfg.num_heads = 5; /* head dim 12.8: not a divisor */
    expect("model_bytes(bad config)", esm2j_model_bytes(&cfg, &bytes), ESM2J_ERROR_INVALID_ARGUMENT, 1);
    cfg.num_heads = 8; /* head dim 8: unsupported */
    expect("model_bytes(head dim 8)", esm2j_model_bytes(&cfg, &bytes), ESM2J_ERROR_UNSUPPORTED, 1);
    cfg.num_heads = 4;
    expect("model_bytes(NULL)", esm2j_model_bytes(NULL, &bytes), ESM2J_ERROR_INVALID_ARGUMENT, 1);

    /* The batch limits of the header are the library's (a model is needed for a workspace, so only the
     * NULL-model answer is checkable here; the limit messages are checked by the GPU self-test). */
    if (ESM2J_ABI_VERSION != 3 || ESM2J_MAX_BATCH_TOKENS != (1 << 30) || ESM2J_MAX_BATCH_SEQUENCES != (1 << 29)) {
        printf("FAIL the header's ABI 3 limits changed: update the bindings and this test\n");
        ++failures;
    }

    /* No device: every call that needs one says so. */
    expect("device_count", esm2j_device_count(&count), ESM2J_ERROR_NO_DEVICE, 1);
    if (count != 0) { printf("FAIL device_count wrote %d, want 0\n", count); ++failures; }
    expect("mem_info", esm2j_mem_info(0, &free_b, &total_b), ESM2J_ERROR_NO_DEVICE, 1);
    expect("model_create", esm2j_model_create(0, &cfg, &model), ESM2J_ERROR_NO_DEVICE, 1);
    if (model != NULL) { printf("FAIL model_create wrote a handle\n"); ++failures; }

    /* NULL handles and pointers: invalid arguments, never a crash. */
    expect("device_count(NULL)", esm2j_device_count(NULL), ESM2J_ERROR_INVALID_ARGUMENT, 1);
    expect("mem_info(NULL)", esm2j_mem_info(0, NULL, NULL), ESM2J_ERROR_INVALID_ARGUMENT, 1);
    expect("model_create(NULL cfg)", esm2j_model_create(0, NULL, &model), ESM2J_ERROR_INVALID_ARGUMENT, 1);
    expect("model_set_tensor(NULL)", esm2j_model_set_tensor(NULL, ESM2J_T_EMBED, -1, ESM2J_DTYPE_F32, &one, 1),
           ESM2J_ERROR_INVALID_ARGUMENT, 1);
    expect("model_finalize(NULL)", esm2j_model_finalize(NULL), ESM2J_ERROR_INVALID_ARGUMENT, 1);
    expect("workspace_bytes(NULL)", esm2j_workspace_bytes(NULL, 1024, 8, &bytes), ESM2J_ERROR_INVALID_ARGUMENT, 1);
    expect("workspace_create(NULL)", esm2j_workspace_create(NULL, 1024, 8, &ws), ESM2J_ERROR_INVALID_ARGUMENT, 1);
    expect("workspace_set_option(NULL)", esm2j_workspace_set_option(NULL, ESM2J_OPTION_ATTENTION, 0),
           ESM2J_ERROR_INVALID_ARGUMENT, 1);
    expect("workspace_get_option(NULL)", esm2j_workspace_get_option(NULL, ESM2J_OPTION_ATTENTION, &value),
           ESM2J_ERROR_INVALID_ARGUMENT, 1);
    expect("workspace_attention_used(NULL)", esm2j_workspace_attention_used(NULL, &backend, &note),
           ESM2J_ERROR_INVALID_ARGUMENT, 1);
    expect("workspace_gemm_fallbacks(NULL)", esm2j_workspace_gemm_fallbacks(NULL, &fallbacks),
           ESM2J_ERROR_INVALID_ARGUMENT, 1);
    memset(&req, 0, sizeof req);
    req.tokens = tokens; req.n_tokens = 3; req.cu_seqlens = cu; req.n_seqs = 1;
    req.repr_layers = layers; req.n_repr_layers = 1; req.outputs = ESM2J_OUT_MEAN; req.mean = mean;
    expect("encode(NULL ws)", esm2j_encode(NULL, NULL, &req), ESM2J_ERROR_INVALID_ARGUMENT, 1);

    /* Destroying NULL is a no-op that succeeds (free semantics), and clears the message. */
    expect("model_destroy(NULL)", esm2j_model_destroy(NULL), ESM2J_OK, 0);
    expect("workspace_destroy(NULL)", esm2j_workspace_destroy(NULL), ESM2J_OK, 0);

    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures == 0 ? 0 : 1;
}
