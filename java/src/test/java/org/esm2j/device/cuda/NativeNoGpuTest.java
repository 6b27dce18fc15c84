package org.esm2j.device.cuda;

import org.esm2j.TestData;
import org.esm2j.device.cuda.ffi.CudaRuntimeH;
import org.esm2j.device.cuda.ffi.Esm2jH;
import org.esm2j.device.cuda.ffi.esm2j_encode_request;
import org.esm2j.device.cuda.ffi.esm2j_model_config;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real libesm2j.so through FFM on a machine without a GPU: every entry point answers with a clean status
 * and a message, never a crash. Skipped when the library has not been built (scripts/build-native.sh) or when
 * a GPU is present (the GPU check covers that machine).
 */
class NativeNoGpuTest {
    private static NativeLibrary.Status status;

    @BeforeAll
    static void load() {
        Path lib = TestData.repo().resolve("build/native/libesm2j.so");
        assumeTrue(Files.isRegularFile(lib), "libesm2j.so not built (scripts/build-native.sh)");
        status = NativeLibrary.loadFirst(NativeLibrary.candidates(lib.toString(), null, null, List.of()));
        assertThat(status.error()).isNull();
        assertThat(status.loaded()).isTrue();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment count = a.allocate(ValueLayout.JAVA_INT);
            assumeTrue(Esm2jH.esm2j_device_count(count) != Esm2jH.ESM2J_OK(), "a GPU is present: the no-GPU answers do not apply");
        }
    }

    private static void expect(String what, int got, int want, boolean message) {
        String error = NativeLibrary.lastError();
        assertThat(got).as(what + " (" + error + ")").isEqualTo(want);
        if (message) {
            assertThat(error).as(what + " message").isNotBlank();
        } else {
            assertThat(error).as(what + " message").isEmpty();
        }
    }

    @Test
    void versionAndAbi() {
        assertThat(Esm2jH.esm2j_abi_version()).isEqualTo(Esm2jH.ESM2J_ABI_VERSION());
        assertThat(status.version()).isNotBlank();
        assertThat(status.path().getFileName().toString()).isEqualTo("libesm2j.so");
    }

    @Test
    void everyEntryPointAnswersCleanlyWithoutAGpu() {
        int noDevice = Esm2jH.ESM2J_ERROR_NO_DEVICE();
        int invalid = Esm2jH.ESM2J_ERROR_INVALID_ARGUMENT();
        MemorySegment nul = MemorySegment.NULL;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment count = a.allocate(ValueLayout.JAVA_INT);
            count.set(ValueLayout.JAVA_INT, 0, -1);
            expect("device_count", Esm2jH.esm2j_device_count(count), noDevice, true);
            assertThat(count.get(ValueLayout.JAVA_INT, 0)).isZero();
            MemorySegment free = a.allocate(ValueLayout.JAVA_LONG);
            MemorySegment total = a.allocate(ValueLayout.JAVA_LONG);
            expect("mem_info", Esm2jH.esm2j_mem_info(0, free, total), noDevice, true);

            MemorySegment cfg = esm2j_model_config.allocate(a);
            esm2j_model_config.num_layers(cfg, 2);
            esm2j_model_config.hidden_size(cfg, 64);
            esm2j_model_config.num_heads(cfg, 4);
            esm2j_model_config.intermediate_size(cfg, 256);
            esm2j_model_config.vocab_size(cfg, 33);
            esm2j_model_config.layer_norm_eps(cfg, 1e-5f);
            esm2j_model_config.token_dropout(cfg, 1);
            esm2j_model_config.mask_token_id(cfg, 32);
            esm2j_model_config.compute_dtype(cfg, Esm2jH.ESM2J_DTYPE_F32());
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            out.set(ValueLayout.ADDRESS, 0, nul);
            expect("model_create", Esm2jH.esm2j_model_create(0, cfg, out), noDevice, true);
            assertThat(out.get(ValueLayout.ADDRESS, 0)).isEqualTo(nul);

            MemorySegment one = a.allocateFrom(ValueLayout.JAVA_FLOAT, 1f);
            MemorySegment bytes = a.allocate(ValueLayout.JAVA_LONG);
            MemorySegment value = a.allocate(ValueLayout.JAVA_INT);
            expect("model_create(NULL cfg)", Esm2jH.esm2j_model_create(0, nul, out), invalid, true);
            expect("model_set_tensor(NULL)", Esm2jH.esm2j_model_set_tensor(nul, Esm2jH.ESM2J_T_EMBED(), -1, Esm2jH.ESM2J_DTYPE_F32(), one, 1), invalid, true);
            expect("model_finalize(NULL)", Esm2jH.esm2j_model_finalize(nul), invalid, true);
            expect("workspace_bytes(NULL)", Esm2jH.esm2j_workspace_bytes(nul, 1024, 8, bytes), invalid, true);
            expect("workspace_create(NULL)", Esm2jH.esm2j_workspace_create(nul, 1024, 8, out), invalid, true);
            expect("workspace_set_option(NULL)", Esm2jH.esm2j_workspace_set_option(nul, Esm2jH.ESM2J_OPTION_ATTENTION(), 0), invalid, true);
            expect("workspace_get_option(NULL)", Esm2jH.esm2j_workspace_get_option(nul, Esm2jH.ESM2J_OPTION_ATTENTION(), value), invalid, true);
            expect("workspace_attention_used(NULL)", Esm2jH.esm2j_workspace_attention_used(nul, value, out), invalid, true);
            MemorySegment req = esm2j_encode_request.allocate(a);
            MemorySegment tokens = a.allocateFrom(ValueLayout.JAVA_INT, 0, 5, 2);
            esm2j_encode_request.tokens(req, tokens);
            esm2j_encode_request.n_tokens(req, 3);
            esm2j_encode_request.cu_seqlens(req, a.allocateFrom(ValueLayout.JAVA_INT, 0, 3));
            esm2j_encode_request.n_seqs(req, 1);
            esm2j_encode_request.outputs(req, Esm2jH.ESM2J_OUT_MEAN());
            esm2j_encode_request.mean(req, a.allocate(ValueLayout.JAVA_FLOAT, 64));
            expect("encode(NULL workspace)", Esm2jH.esm2j_encode(nul, nul, req), invalid, true);
            expect("model_destroy(NULL)", Esm2jH.esm2j_model_destroy(nul), Esm2jH.ESM2J_OK(), false);
            expect("workspace_destroy(NULL)", Esm2jH.esm2j_workspace_destroy(nul), Esm2jH.ESM2J_OK(), false);
        }
    }

    @Test
    void weightBytesNeedNoGpuAndFollowTheDtype() {
        try (org.esm2j.model.EsmModel tiny = org.esm2j.model.EsmModel.load(TestData.tiny().toString())) {
            long fp32 = CudaWeights.weightBytes(tiny.config(), ComputeDtype.FP32);
            long bf16 = CudaWeights.weightBytes(tiny.config(), ComputeDtype.BF16);
            long parameters = tiny.config().parameterCount();
            assertThat(fp32).isGreaterThanOrEqualTo(parameters * 4);
            assertThat(bf16).isLessThan(fp32).isGreaterThanOrEqualTo(parameters * 2);
            assertThat(NativeLibrary.lastError()).isEmpty();
        }
    }

    @Test
    void theCudaRuntimeIsTheOneTheLibraryLinksAndAnswersToo() {
        assertThat(NativeLibrary.mappedLibrary("libcudart.so")).isNotNull();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            assertThat(CudaRuntimeH.cudaRuntimeGetVersion(v)).isEqualTo(CudaRuntimeH.cudaSuccess());
            assertThat(v.get(ValueLayout.JAVA_INT, 0)).isGreaterThanOrEqualTo(13000);
            int err = CudaRuntimeH.cudaGetDeviceCount(v);
            assertThat(err).isNotEqualTo(CudaRuntimeH.cudaSuccess());
            assertThat(Cuda.errorName(err)).startsWith("cudaError");
            assertThat(Cuda.errorString(err)).isNotBlank();
        }
    }

    @Test
    void openingWithoutAGpuReportsTheFirstFailureNotTheCleanUpsOne() {
        CudaDeviceInfo ghost = new CudaDeviceInfo(0, "no such GPU", 9, 0, 1, 1L << 30, -1, null);
        try (org.esm2j.model.EsmModel tiny = org.esm2j.model.EsmModel.load(TestData.tiny().toString())) {
            assertThatThrownBy(() -> CudaDevice.open(ghost, tiny.weights(), ComputeDtype.FP32, 8))
                    .isInstanceOf(org.esm2j.device.DeviceFailureException.class)
                    .hasMessageStartingWith("cuda:0: reading free memory: no device")
                    .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                            .singleElement().asString().startsWith("cuda:0: closing: "));
        }
    }

    @Test
    void discoveryNamesCudaVisibleDevicesWhenItIsSet() {
        CudaDevices.Inventory inv = CudaDevices.discover(status, "7");
        assertThat(inv.usable()).isFalse();
        assertThat(inv.visibleDevices()).isEqualTo("7");
        assertThat(inv.error()).startsWith("no usable GPU: ").contains("CUDA_VISIBLE_DEVICES=7").doesNotContain("\n");
        assertThat(CudaDevices.discover(status, null).error()).doesNotContain("CUDA_VISIBLE_DEVICES");
    }

    @Test
    void discoveryReportsWhyThereIsNoGpu() {
        CudaDevices.Inventory inv = CudaDevices.discover(status);
        assertThat(inv.usable()).isFalse();
        assertThat(inv.devices()).isEmpty();
        assertThat(inv.error()).startsWith("no usable GPU: ").doesNotContain("\n");
        assertThat(inv.runtimeVersion()).startsWith("13.");
    }
}
