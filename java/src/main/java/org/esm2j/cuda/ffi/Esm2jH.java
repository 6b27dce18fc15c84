// Generated from cuda/include/esm2j.h by scripts/jextract.sh with jextract 23 (openjdk/jextract@f9866df3a178), libclang 16.0.6, CUDA 13.0 headers: do not edit, regenerate.

package org.esm2j.cuda.ffi;

import java.lang.invoke.*;
import java.lang.foreign.*;
import java.nio.ByteOrder;
import java.util.*;
import java.util.function.*;
import java.util.stream.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.*;

public class Esm2jH extends Esm2jH$shared {

    Esm2jH() {
        // Should not be called directly
    }

    static final Arena LIBRARY_ARENA = Arena.ofAuto();

    static final SymbolLookup SYMBOL_LOOKUP = SymbolLookup.loaderLookup()
            .or(Linker.nativeLinker().defaultLookup());

    private static final int ESM2J_ABI_VERSION = (int)3L;
    /**
     * {@snippet lang=c :
     * #define ESM2J_ABI_VERSION 3
     * }
     */
    public static int ESM2J_ABI_VERSION() {
        return ESM2J_ABI_VERSION;
    }
    private static final int ESM2J_MAX_BATCH_TOKENS = (int)1073741824L;
    /**
     * {@snippet lang=c :
     * #define ESM2J_MAX_BATCH_TOKENS 1073741824
     * }
     */
    public static int ESM2J_MAX_BATCH_TOKENS() {
        return ESM2J_MAX_BATCH_TOKENS;
    }
    private static final int ESM2J_MAX_BATCH_SEQUENCES = (int)536870912L;
    /**
     * {@snippet lang=c :
     * #define ESM2J_MAX_BATCH_SEQUENCES 536870912
     * }
     */
    public static int ESM2J_MAX_BATCH_SEQUENCES() {
        return ESM2J_MAX_BATCH_SEQUENCES;
    }
    private static final int ESM2J_OK = (int)0L;
    /**
     * {@snippet lang=c :
     * enum esm2j_status.ESM2J_OK = 0
     * }
     */
    public static int ESM2J_OK() {
        return ESM2J_OK;
    }
    private static final int ESM2J_ERROR_INVALID_ARGUMENT = (int)1L;
    /**
     * {@snippet lang=c :
     * enum esm2j_status.ESM2J_ERROR_INVALID_ARGUMENT = 1
     * }
     */
    public static int ESM2J_ERROR_INVALID_ARGUMENT() {
        return ESM2J_ERROR_INVALID_ARGUMENT;
    }
    private static final int ESM2J_ERROR_OUT_OF_MEMORY = (int)2L;
    /**
     * {@snippet lang=c :
     * enum esm2j_status.ESM2J_ERROR_OUT_OF_MEMORY = 2
     * }
     */
    public static int ESM2J_ERROR_OUT_OF_MEMORY() {
        return ESM2J_ERROR_OUT_OF_MEMORY;
    }
    private static final int ESM2J_ERROR_NO_DEVICE = (int)3L;
    /**
     * {@snippet lang=c :
     * enum esm2j_status.ESM2J_ERROR_NO_DEVICE = 3
     * }
     */
    public static int ESM2J_ERROR_NO_DEVICE() {
        return ESM2J_ERROR_NO_DEVICE;
    }
    private static final int ESM2J_ERROR_UNSUPPORTED = (int)4L;
    /**
     * {@snippet lang=c :
     * enum esm2j_status.ESM2J_ERROR_UNSUPPORTED = 4
     * }
     */
    public static int ESM2J_ERROR_UNSUPPORTED() {
        return ESM2J_ERROR_UNSUPPORTED;
    }
    private static final int ESM2J_ERROR_CUDA = (int)5L;
    /**
     * {@snippet lang=c :
     * enum esm2j_status.ESM2J_ERROR_CUDA = 5
     * }
     */
    public static int ESM2J_ERROR_CUDA() {
        return ESM2J_ERROR_CUDA;
    }
    private static final int ESM2J_ERROR_CUBLAS = (int)6L;
    /**
     * {@snippet lang=c :
     * enum esm2j_status.ESM2J_ERROR_CUBLAS = 6
     * }
     */
    public static int ESM2J_ERROR_CUBLAS() {
        return ESM2J_ERROR_CUBLAS;
    }
    private static final int ESM2J_ERROR_CUDNN = (int)7L;
    /**
     * {@snippet lang=c :
     * enum esm2j_status.ESM2J_ERROR_CUDNN = 7
     * }
     */
    public static int ESM2J_ERROR_CUDNN() {
        return ESM2J_ERROR_CUDNN;
    }
    private static final int ESM2J_ERROR_INTERNAL = (int)8L;
    /**
     * {@snippet lang=c :
     * enum esm2j_status.ESM2J_ERROR_INTERNAL = 8
     * }
     */
    public static int ESM2J_ERROR_INTERNAL() {
        return ESM2J_ERROR_INTERNAL;
    }
    private static final int ESM2J_DTYPE_F32 = (int)0L;
    /**
     * {@snippet lang=c :
     * enum esm2j_dtype.ESM2J_DTYPE_F32 = 0
     * }
     */
    public static int ESM2J_DTYPE_F32() {
        return ESM2J_DTYPE_F32;
    }
    private static final int ESM2J_DTYPE_F16 = (int)1L;
    /**
     * {@snippet lang=c :
     * enum esm2j_dtype.ESM2J_DTYPE_F16 = 1
     * }
     */
    public static int ESM2J_DTYPE_F16() {
        return ESM2J_DTYPE_F16;
    }
    private static final int ESM2J_DTYPE_BF16 = (int)2L;
    /**
     * {@snippet lang=c :
     * enum esm2j_dtype.ESM2J_DTYPE_BF16 = 2
     * }
     */
    public static int ESM2J_DTYPE_BF16() {
        return ESM2J_DTYPE_BF16;
    }
    private static final int ESM2J_OUT_MEAN = (int)1L;
    /**
     * {@snippet lang=c :
     * enum esm2j_output_flags.ESM2J_OUT_MEAN = 1
     * }
     */
    public static int ESM2J_OUT_MEAN() {
        return ESM2J_OUT_MEAN;
    }
    private static final int ESM2J_OUT_PER_TOKEN = (int)2L;
    /**
     * {@snippet lang=c :
     * enum esm2j_output_flags.ESM2J_OUT_PER_TOKEN = 2
     * }
     */
    public static int ESM2J_OUT_PER_TOKEN() {
        return ESM2J_OUT_PER_TOKEN;
    }
    private static final int ESM2J_OUT_BOS = (int)4L;
    /**
     * {@snippet lang=c :
     * enum esm2j_output_flags.ESM2J_OUT_BOS = 4
     * }
     */
    public static int ESM2J_OUT_BOS() {
        return ESM2J_OUT_BOS;
    }
    private static final int ESM2J_OUT_LOGITS = (int)8L;
    /**
     * {@snippet lang=c :
     * enum esm2j_output_flags.ESM2J_OUT_LOGITS = 8
     * }
     */
    public static int ESM2J_OUT_LOGITS() {
        return ESM2J_OUT_LOGITS;
    }
    private static final int ESM2J_T_EMBED = (int)0L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_EMBED = 0
     * }
     */
    public static int ESM2J_T_EMBED() {
        return ESM2J_T_EMBED;
    }
    private static final int ESM2J_T_ATTN_LN_W = (int)1L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_ATTN_LN_W = 1
     * }
     */
    public static int ESM2J_T_ATTN_LN_W() {
        return ESM2J_T_ATTN_LN_W;
    }
    private static final int ESM2J_T_ATTN_LN_B = (int)2L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_ATTN_LN_B = 2
     * }
     */
    public static int ESM2J_T_ATTN_LN_B() {
        return ESM2J_T_ATTN_LN_B;
    }
    private static final int ESM2J_T_Q_W = (int)3L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_Q_W = 3
     * }
     */
    public static int ESM2J_T_Q_W() {
        return ESM2J_T_Q_W;
    }
    private static final int ESM2J_T_Q_B = (int)4L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_Q_B = 4
     * }
     */
    public static int ESM2J_T_Q_B() {
        return ESM2J_T_Q_B;
    }
    private static final int ESM2J_T_K_W = (int)5L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_K_W = 5
     * }
     */
    public static int ESM2J_T_K_W() {
        return ESM2J_T_K_W;
    }
    private static final int ESM2J_T_K_B = (int)6L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_K_B = 6
     * }
     */
    public static int ESM2J_T_K_B() {
        return ESM2J_T_K_B;
    }
    private static final int ESM2J_T_V_W = (int)7L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_V_W = 7
     * }
     */
    public static int ESM2J_T_V_W() {
        return ESM2J_T_V_W;
    }
    private static final int ESM2J_T_V_B = (int)8L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_V_B = 8
     * }
     */
    public static int ESM2J_T_V_B() {
        return ESM2J_T_V_B;
    }
    private static final int ESM2J_T_ROTARY_INV_FREQ = (int)9L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_ROTARY_INV_FREQ = 9
     * }
     */
    public static int ESM2J_T_ROTARY_INV_FREQ() {
        return ESM2J_T_ROTARY_INV_FREQ;
    }
    private static final int ESM2J_T_O_W = (int)10L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_O_W = 10
     * }
     */
    public static int ESM2J_T_O_W() {
        return ESM2J_T_O_W;
    }
    private static final int ESM2J_T_O_B = (int)11L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_O_B = 11
     * }
     */
    public static int ESM2J_T_O_B() {
        return ESM2J_T_O_B;
    }
    private static final int ESM2J_T_FFN_LN_W = (int)12L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_FFN_LN_W = 12
     * }
     */
    public static int ESM2J_T_FFN_LN_W() {
        return ESM2J_T_FFN_LN_W;
    }
    private static final int ESM2J_T_FFN_LN_B = (int)13L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_FFN_LN_B = 13
     * }
     */
    public static int ESM2J_T_FFN_LN_B() {
        return ESM2J_T_FFN_LN_B;
    }
    private static final int ESM2J_T_FC1_W = (int)14L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_FC1_W = 14
     * }
     */
    public static int ESM2J_T_FC1_W() {
        return ESM2J_T_FC1_W;
    }
    private static final int ESM2J_T_FC1_B = (int)15L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_FC1_B = 15
     * }
     */
    public static int ESM2J_T_FC1_B() {
        return ESM2J_T_FC1_B;
    }
    private static final int ESM2J_T_FC2_W = (int)16L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_FC2_W = 16
     * }
     */
    public static int ESM2J_T_FC2_W() {
        return ESM2J_T_FC2_W;
    }
    private static final int ESM2J_T_FC2_B = (int)17L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_FC2_B = 17
     * }
     */
    public static int ESM2J_T_FC2_B() {
        return ESM2J_T_FC2_B;
    }
    private static final int ESM2J_T_FINAL_LN_W = (int)18L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_FINAL_LN_W = 18
     * }
     */
    public static int ESM2J_T_FINAL_LN_W() {
        return ESM2J_T_FINAL_LN_W;
    }
    private static final int ESM2J_T_FINAL_LN_B = (int)19L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_FINAL_LN_B = 19
     * }
     */
    public static int ESM2J_T_FINAL_LN_B() {
        return ESM2J_T_FINAL_LN_B;
    }
    private static final int ESM2J_T_LM_DENSE_W = (int)20L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_LM_DENSE_W = 20
     * }
     */
    public static int ESM2J_T_LM_DENSE_W() {
        return ESM2J_T_LM_DENSE_W;
    }
    private static final int ESM2J_T_LM_DENSE_B = (int)21L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_LM_DENSE_B = 21
     * }
     */
    public static int ESM2J_T_LM_DENSE_B() {
        return ESM2J_T_LM_DENSE_B;
    }
    private static final int ESM2J_T_LM_LN_W = (int)22L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_LM_LN_W = 22
     * }
     */
    public static int ESM2J_T_LM_LN_W() {
        return ESM2J_T_LM_LN_W;
    }
    private static final int ESM2J_T_LM_LN_B = (int)23L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_LM_LN_B = 23
     * }
     */
    public static int ESM2J_T_LM_LN_B() {
        return ESM2J_T_LM_LN_B;
    }
    private static final int ESM2J_T_LM_BIAS = (int)24L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_LM_BIAS = 24
     * }
     */
    public static int ESM2J_T_LM_BIAS() {
        return ESM2J_T_LM_BIAS;
    }
    private static final int ESM2J_T_COUNT = (int)25L;
    /**
     * {@snippet lang=c :
     * enum esm2j_tensor.ESM2J_T_COUNT = 25
     * }
     */
    public static int ESM2J_T_COUNT() {
        return ESM2J_T_COUNT;
    }
    private static final int ESM2J_OPTION_ATTENTION = (int)1L;
    /**
     * {@snippet lang=c :
     * enum esm2j_option.ESM2J_OPTION_ATTENTION = 1
     * }
     */
    public static int ESM2J_OPTION_ATTENTION() {
        return ESM2J_OPTION_ATTENTION;
    }
    private static final int ESM2J_OPTION_KERNELS = (int)2L;
    /**
     * {@snippet lang=c :
     * enum esm2j_option.ESM2J_OPTION_KERNELS = 2
     * }
     */
    public static int ESM2J_OPTION_KERNELS() {
        return ESM2J_OPTION_KERNELS;
    }
    private static final int ESM2J_ATTENTION_FLASH = (int)0L;
    /**
     * {@snippet lang=c :
     * enum esm2j_attention_backend.ESM2J_ATTENTION_FLASH = 0
     * }
     */
    public static int ESM2J_ATTENTION_FLASH() {
        return ESM2J_ATTENTION_FLASH;
    }
    private static final int ESM2J_ATTENTION_REFERENCE = (int)1L;
    /**
     * {@snippet lang=c :
     * enum esm2j_attention_backend.ESM2J_ATTENTION_REFERENCE = 1
     * }
     */
    public static int ESM2J_ATTENTION_REFERENCE() {
        return ESM2J_ATTENTION_REFERENCE;
    }
    private static final int ESM2J_ATTENTION_CUDNN = (int)2L;
    /**
     * {@snippet lang=c :
     * enum esm2j_attention_backend.ESM2J_ATTENTION_CUDNN = 2
     * }
     */
    public static int ESM2J_ATTENTION_CUDNN() {
        return ESM2J_ATTENTION_CUDNN;
    }
    private static final int ESM2J_KERNELS_FAST = (int)0L;
    /**
     * {@snippet lang=c :
     * enum esm2j_kernels.ESM2J_KERNELS_FAST = 0
     * }
     */
    public static int ESM2J_KERNELS_FAST() {
        return ESM2J_KERNELS_FAST;
    }
    private static final int ESM2J_KERNELS_REFERENCE = (int)1L;
    /**
     * {@snippet lang=c :
     * enum esm2j_kernels.ESM2J_KERNELS_REFERENCE = 1
     * }
     */
    public static int ESM2J_KERNELS_REFERENCE() {
        return ESM2J_KERNELS_REFERENCE;
    }

    private static class esm2j_abi_version {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT    );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_abi_version");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t esm2j_abi_version(void)
     * }
     */
    public static FunctionDescriptor esm2j_abi_version$descriptor() {
        return esm2j_abi_version.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t esm2j_abi_version(void)
     * }
     */
    public static MethodHandle esm2j_abi_version$handle() {
        return esm2j_abi_version.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t esm2j_abi_version(void)
     * }
     */
    public static MemorySegment esm2j_abi_version$address() {
        return esm2j_abi_version.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t esm2j_abi_version(void)
     * }
     */
    public static int esm2j_abi_version() {
        var mh$ = esm2j_abi_version.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_abi_version");
            }
            return (int)mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_version_string {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_POINTER    );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_version_string");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char *esm2j_version_string(void)
     * }
     */
    public static FunctionDescriptor esm2j_version_string$descriptor() {
        return esm2j_version_string.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char *esm2j_version_string(void)
     * }
     */
    public static MethodHandle esm2j_version_string$handle() {
        return esm2j_version_string.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char *esm2j_version_string(void)
     * }
     */
    public static MemorySegment esm2j_version_string$address() {
        return esm2j_version_string.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char *esm2j_version_string(void)
     * }
     */
    public static MemorySegment esm2j_version_string() {
        var mh$ = esm2j_version_string.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_version_string");
            }
            return (MemorySegment)mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_last_error {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_POINTER    );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_last_error");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char *esm2j_last_error(void)
     * }
     */
    public static FunctionDescriptor esm2j_last_error$descriptor() {
        return esm2j_last_error.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char *esm2j_last_error(void)
     * }
     */
    public static MethodHandle esm2j_last_error$handle() {
        return esm2j_last_error.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char *esm2j_last_error(void)
     * }
     */
    public static MemorySegment esm2j_last_error$address() {
        return esm2j_last_error.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char *esm2j_last_error(void)
     * }
     */
    public static MemorySegment esm2j_last_error() {
        var mh$ = esm2j_last_error.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_last_error");
            }
            return (MemorySegment)mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_device_count {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_device_count");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_device_count(int32_t *count)
     * }
     */
    public static FunctionDescriptor esm2j_device_count$descriptor() {
        return esm2j_device_count.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_device_count(int32_t *count)
     * }
     */
    public static MethodHandle esm2j_device_count$handle() {
        return esm2j_device_count.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_device_count(int32_t *count)
     * }
     */
    public static MemorySegment esm2j_device_count$address() {
        return esm2j_device_count.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_device_count(int32_t *count)
     * }
     */
    public static int esm2j_device_count(MemorySegment count) {
        var mh$ = esm2j_device_count.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_device_count", count);
            }
            return (int)mh$.invokeExact(count);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_mem_info {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_INT,
            Esm2jH.C_POINTER,
            Esm2jH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_mem_info");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_mem_info(int32_t device, uint64_t *free_bytes, uint64_t *total_bytes)
     * }
     */
    public static FunctionDescriptor esm2j_mem_info$descriptor() {
        return esm2j_mem_info.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_mem_info(int32_t device, uint64_t *free_bytes, uint64_t *total_bytes)
     * }
     */
    public static MethodHandle esm2j_mem_info$handle() {
        return esm2j_mem_info.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_mem_info(int32_t device, uint64_t *free_bytes, uint64_t *total_bytes)
     * }
     */
    public static MemorySegment esm2j_mem_info$address() {
        return esm2j_mem_info.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_mem_info(int32_t device, uint64_t *free_bytes, uint64_t *total_bytes)
     * }
     */
    public static int esm2j_mem_info(int device, MemorySegment free_bytes, MemorySegment total_bytes) {
        var mh$ = esm2j_mem_info.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_mem_info", device, free_bytes, total_bytes);
            }
            return (int)mh$.invokeExact(device, free_bytes, total_bytes);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_model_bytes {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_POINTER,
            Esm2jH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_model_bytes");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_model_bytes(const esm2j_model_config *cfg, uint64_t *bytes)
     * }
     */
    public static FunctionDescriptor esm2j_model_bytes$descriptor() {
        return esm2j_model_bytes.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_model_bytes(const esm2j_model_config *cfg, uint64_t *bytes)
     * }
     */
    public static MethodHandle esm2j_model_bytes$handle() {
        return esm2j_model_bytes.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_model_bytes(const esm2j_model_config *cfg, uint64_t *bytes)
     * }
     */
    public static MemorySegment esm2j_model_bytes$address() {
        return esm2j_model_bytes.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_model_bytes(const esm2j_model_config *cfg, uint64_t *bytes)
     * }
     */
    public static int esm2j_model_bytes(MemorySegment cfg, MemorySegment bytes) {
        var mh$ = esm2j_model_bytes.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_model_bytes", cfg, bytes);
            }
            return (int)mh$.invokeExact(cfg, bytes);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_model_create {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_INT,
            Esm2jH.C_POINTER,
            Esm2jH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_model_create");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_model_create(int32_t device, const esm2j_model_config *cfg, esm2j_model **out)
     * }
     */
    public static FunctionDescriptor esm2j_model_create$descriptor() {
        return esm2j_model_create.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_model_create(int32_t device, const esm2j_model_config *cfg, esm2j_model **out)
     * }
     */
    public static MethodHandle esm2j_model_create$handle() {
        return esm2j_model_create.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_model_create(int32_t device, const esm2j_model_config *cfg, esm2j_model **out)
     * }
     */
    public static MemorySegment esm2j_model_create$address() {
        return esm2j_model_create.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_model_create(int32_t device, const esm2j_model_config *cfg, esm2j_model **out)
     * }
     */
    public static int esm2j_model_create(int device, MemorySegment cfg, MemorySegment out) {
        var mh$ = esm2j_model_create.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_model_create", device, cfg, out);
            }
            return (int)mh$.invokeExact(device, cfg, out);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_model_set_tensor {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_POINTER,
            Esm2jH.C_INT,
            Esm2jH.C_INT,
            Esm2jH.C_INT,
            Esm2jH.C_POINTER,
            Esm2jH.C_LONG
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_model_set_tensor");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_model_set_tensor(esm2j_model *m, int32_t tensor, int32_t layer, int32_t src_dtype, const void *host_data, int64_t numel)
     * }
     */
    public static FunctionDescriptor esm2j_model_set_tensor$descriptor() {
        return esm2j_model_set_tensor.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_model_set_tensor(esm2j_model *m, int32_t tensor, int32_t layer, int32_t src_dtype, const void *host_data, int64_t numel)
     * }
     */
    public static MethodHandle esm2j_model_set_tensor$handle() {
        return esm2j_model_set_tensor.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_model_set_tensor(esm2j_model *m, int32_t tensor, int32_t layer, int32_t src_dtype, const void *host_data, int64_t numel)
     * }
     */
    public static MemorySegment esm2j_model_set_tensor$address() {
        return esm2j_model_set_tensor.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_model_set_tensor(esm2j_model *m, int32_t tensor, int32_t layer, int32_t src_dtype, const void *host_data, int64_t numel)
     * }
     */
    public static int esm2j_model_set_tensor(MemorySegment m, int tensor, int layer, int src_dtype, MemorySegment host_data, long numel) {
        var mh$ = esm2j_model_set_tensor.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_model_set_tensor", m, tensor, layer, src_dtype, host_data, numel);
            }
            return (int)mh$.invokeExact(m, tensor, layer, src_dtype, host_data, numel);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_model_finalize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_model_finalize");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_model_finalize(esm2j_model *m)
     * }
     */
    public static FunctionDescriptor esm2j_model_finalize$descriptor() {
        return esm2j_model_finalize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_model_finalize(esm2j_model *m)
     * }
     */
    public static MethodHandle esm2j_model_finalize$handle() {
        return esm2j_model_finalize.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_model_finalize(esm2j_model *m)
     * }
     */
    public static MemorySegment esm2j_model_finalize$address() {
        return esm2j_model_finalize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_model_finalize(esm2j_model *m)
     * }
     */
    public static int esm2j_model_finalize(MemorySegment m) {
        var mh$ = esm2j_model_finalize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_model_finalize", m);
            }
            return (int)mh$.invokeExact(m);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_model_destroy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_model_destroy");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_model_destroy(esm2j_model *m)
     * }
     */
    public static FunctionDescriptor esm2j_model_destroy$descriptor() {
        return esm2j_model_destroy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_model_destroy(esm2j_model *m)
     * }
     */
    public static MethodHandle esm2j_model_destroy$handle() {
        return esm2j_model_destroy.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_model_destroy(esm2j_model *m)
     * }
     */
    public static MemorySegment esm2j_model_destroy$address() {
        return esm2j_model_destroy.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_model_destroy(esm2j_model *m)
     * }
     */
    public static int esm2j_model_destroy(MemorySegment m) {
        var mh$ = esm2j_model_destroy.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_model_destroy", m);
            }
            return (int)mh$.invokeExact(m);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_workspace_bytes {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_POINTER,
            Esm2jH.C_LONG,
            Esm2jH.C_INT,
            Esm2jH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_workspace_bytes");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_workspace_bytes(const esm2j_model *m, int64_t max_tokens, int32_t max_seqs, uint64_t *bytes)
     * }
     */
    public static FunctionDescriptor esm2j_workspace_bytes$descriptor() {
        return esm2j_workspace_bytes.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_workspace_bytes(const esm2j_model *m, int64_t max_tokens, int32_t max_seqs, uint64_t *bytes)
     * }
     */
    public static MethodHandle esm2j_workspace_bytes$handle() {
        return esm2j_workspace_bytes.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_workspace_bytes(const esm2j_model *m, int64_t max_tokens, int32_t max_seqs, uint64_t *bytes)
     * }
     */
    public static MemorySegment esm2j_workspace_bytes$address() {
        return esm2j_workspace_bytes.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_workspace_bytes(const esm2j_model *m, int64_t max_tokens, int32_t max_seqs, uint64_t *bytes)
     * }
     */
    public static int esm2j_workspace_bytes(MemorySegment m, long max_tokens, int max_seqs, MemorySegment bytes) {
        var mh$ = esm2j_workspace_bytes.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_workspace_bytes", m, max_tokens, max_seqs, bytes);
            }
            return (int)mh$.invokeExact(m, max_tokens, max_seqs, bytes);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_workspace_create {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_POINTER,
            Esm2jH.C_LONG,
            Esm2jH.C_INT,
            Esm2jH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_workspace_create");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_workspace_create(esm2j_model *m, int64_t max_tokens, int32_t max_seqs, esm2j_workspace **out)
     * }
     */
    public static FunctionDescriptor esm2j_workspace_create$descriptor() {
        return esm2j_workspace_create.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_workspace_create(esm2j_model *m, int64_t max_tokens, int32_t max_seqs, esm2j_workspace **out)
     * }
     */
    public static MethodHandle esm2j_workspace_create$handle() {
        return esm2j_workspace_create.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_workspace_create(esm2j_model *m, int64_t max_tokens, int32_t max_seqs, esm2j_workspace **out)
     * }
     */
    public static MemorySegment esm2j_workspace_create$address() {
        return esm2j_workspace_create.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_workspace_create(esm2j_model *m, int64_t max_tokens, int32_t max_seqs, esm2j_workspace **out)
     * }
     */
    public static int esm2j_workspace_create(MemorySegment m, long max_tokens, int max_seqs, MemorySegment out) {
        var mh$ = esm2j_workspace_create.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_workspace_create", m, max_tokens, max_seqs, out);
            }
            return (int)mh$.invokeExact(m, max_tokens, max_seqs, out);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_workspace_destroy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_workspace_destroy");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_workspace_destroy(esm2j_workspace *ws)
     * }
     */
    public static FunctionDescriptor esm2j_workspace_destroy$descriptor() {
        return esm2j_workspace_destroy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_workspace_destroy(esm2j_workspace *ws)
     * }
     */
    public static MethodHandle esm2j_workspace_destroy$handle() {
        return esm2j_workspace_destroy.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_workspace_destroy(esm2j_workspace *ws)
     * }
     */
    public static MemorySegment esm2j_workspace_destroy$address() {
        return esm2j_workspace_destroy.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_workspace_destroy(esm2j_workspace *ws)
     * }
     */
    public static int esm2j_workspace_destroy(MemorySegment ws) {
        var mh$ = esm2j_workspace_destroy.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_workspace_destroy", ws);
            }
            return (int)mh$.invokeExact(ws);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_workspace_set_option {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_POINTER,
            Esm2jH.C_INT,
            Esm2jH.C_INT
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_workspace_set_option");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_workspace_set_option(esm2j_workspace *ws, int32_t option, int32_t value)
     * }
     */
    public static FunctionDescriptor esm2j_workspace_set_option$descriptor() {
        return esm2j_workspace_set_option.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_workspace_set_option(esm2j_workspace *ws, int32_t option, int32_t value)
     * }
     */
    public static MethodHandle esm2j_workspace_set_option$handle() {
        return esm2j_workspace_set_option.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_workspace_set_option(esm2j_workspace *ws, int32_t option, int32_t value)
     * }
     */
    public static MemorySegment esm2j_workspace_set_option$address() {
        return esm2j_workspace_set_option.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_workspace_set_option(esm2j_workspace *ws, int32_t option, int32_t value)
     * }
     */
    public static int esm2j_workspace_set_option(MemorySegment ws, int option, int value) {
        var mh$ = esm2j_workspace_set_option.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_workspace_set_option", ws, option, value);
            }
            return (int)mh$.invokeExact(ws, option, value);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_workspace_get_option {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_POINTER,
            Esm2jH.C_INT,
            Esm2jH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_workspace_get_option");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_workspace_get_option(const esm2j_workspace *ws, int32_t option, int32_t *value)
     * }
     */
    public static FunctionDescriptor esm2j_workspace_get_option$descriptor() {
        return esm2j_workspace_get_option.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_workspace_get_option(const esm2j_workspace *ws, int32_t option, int32_t *value)
     * }
     */
    public static MethodHandle esm2j_workspace_get_option$handle() {
        return esm2j_workspace_get_option.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_workspace_get_option(const esm2j_workspace *ws, int32_t option, int32_t *value)
     * }
     */
    public static MemorySegment esm2j_workspace_get_option$address() {
        return esm2j_workspace_get_option.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_workspace_get_option(const esm2j_workspace *ws, int32_t option, int32_t *value)
     * }
     */
    public static int esm2j_workspace_get_option(MemorySegment ws, int option, MemorySegment value) {
        var mh$ = esm2j_workspace_get_option.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_workspace_get_option", ws, option, value);
            }
            return (int)mh$.invokeExact(ws, option, value);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_workspace_attention_used {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_POINTER,
            Esm2jH.C_POINTER,
            Esm2jH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_workspace_attention_used");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_workspace_attention_used(const esm2j_workspace *ws, int32_t *backend, const char **note)
     * }
     */
    public static FunctionDescriptor esm2j_workspace_attention_used$descriptor() {
        return esm2j_workspace_attention_used.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_workspace_attention_used(const esm2j_workspace *ws, int32_t *backend, const char **note)
     * }
     */
    public static MethodHandle esm2j_workspace_attention_used$handle() {
        return esm2j_workspace_attention_used.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_workspace_attention_used(const esm2j_workspace *ws, int32_t *backend, const char **note)
     * }
     */
    public static MemorySegment esm2j_workspace_attention_used$address() {
        return esm2j_workspace_attention_used.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_workspace_attention_used(const esm2j_workspace *ws, int32_t *backend, const char **note)
     * }
     */
    public static int esm2j_workspace_attention_used(MemorySegment ws, MemorySegment backend, MemorySegment note) {
        var mh$ = esm2j_workspace_attention_used.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_workspace_attention_used", ws, backend, note);
            }
            return (int)mh$.invokeExact(ws, backend, note);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_workspace_gemm_fallbacks {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_POINTER,
            Esm2jH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_workspace_gemm_fallbacks");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_workspace_gemm_fallbacks(const esm2j_workspace *ws, int64_t *count)
     * }
     */
    public static FunctionDescriptor esm2j_workspace_gemm_fallbacks$descriptor() {
        return esm2j_workspace_gemm_fallbacks.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_workspace_gemm_fallbacks(const esm2j_workspace *ws, int64_t *count)
     * }
     */
    public static MethodHandle esm2j_workspace_gemm_fallbacks$handle() {
        return esm2j_workspace_gemm_fallbacks.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_workspace_gemm_fallbacks(const esm2j_workspace *ws, int64_t *count)
     * }
     */
    public static MemorySegment esm2j_workspace_gemm_fallbacks$address() {
        return esm2j_workspace_gemm_fallbacks.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_workspace_gemm_fallbacks(const esm2j_workspace *ws, int64_t *count)
     * }
     */
    public static int esm2j_workspace_gemm_fallbacks(MemorySegment ws, MemorySegment count) {
        var mh$ = esm2j_workspace_gemm_fallbacks.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_workspace_gemm_fallbacks", ws, count);
            }
            return (int)mh$.invokeExact(ws, count);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class esm2j_encode {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            Esm2jH.C_INT,
            Esm2jH.C_POINTER,
            Esm2jH.C_POINTER,
            Esm2jH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("esm2j_encode");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int esm2j_encode(esm2j_workspace *ws, void *stream, const esm2j_encode_request *req)
     * }
     */
    public static FunctionDescriptor esm2j_encode$descriptor() {
        return esm2j_encode.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int esm2j_encode(esm2j_workspace *ws, void *stream, const esm2j_encode_request *req)
     * }
     */
    public static MethodHandle esm2j_encode$handle() {
        return esm2j_encode.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int esm2j_encode(esm2j_workspace *ws, void *stream, const esm2j_encode_request *req)
     * }
     */
    public static MemorySegment esm2j_encode$address() {
        return esm2j_encode.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int esm2j_encode(esm2j_workspace *ws, void *stream, const esm2j_encode_request *req)
     * }
     */
    public static int esm2j_encode(MemorySegment ws, MemorySegment stream, MemorySegment req) {
        var mh$ = esm2j_encode.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("esm2j_encode", ws, stream, req);
            }
            return (int)mh$.invokeExact(ws, stream, req);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
}

