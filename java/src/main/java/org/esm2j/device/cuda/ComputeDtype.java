package org.esm2j.device.cuda;

import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;
import org.esm2j.device.cuda.ffi.Esm2jH;

import java.util.Locale;

/** What a GPU computes in: BF16 on Ampere and newer, FP16 before, FP32 as the exact path. */
public enum ComputeDtype {
    FP32, FP16, BF16;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The esm2j_dtype code of the C ABI. */
    int abiCode() {
        return switch (this) {
            case FP32 -> Esm2jH.ESM2J_DTYPE_F32();
            case FP16 -> Esm2jH.ESM2J_DTYPE_F16();
            case BF16 -> Esm2jH.ESM2J_DTYPE_BF16();
        };
    }

    /** {@code bf16}, {@code fp16}, {@code fp32}; null for {@code auto}. */
    public static ComputeDtype parse(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "auto" -> null;
            case "bf16", "bfloat16" -> BF16;
            case "fp16", "f16", "float16", "half" -> FP16;
            case "fp32", "f32", "float32" -> FP32;
            default -> throw new InvalidParameterException(Parameter.DTYPE, "{dtype} " + s + ": expected auto, bf16, fp16 or fp32");
        };
    }

    /** The dtype a device runs: the one asked for, or BF16 where the hardware has it (compute capability 8.0+) and FP16 below. */
    public static ComputeDtype choose(ComputeDtype requested, CudaDeviceInfo device) {
        if (requested == null) {
            return device.bf16() ? BF16 : FP16;
        }
        if (requested == BF16 && !device.bf16()) {
            throw new InvalidParameterException(Parameter.DTYPE, "{dtype} bf16: " + device.id() + " (" + device.name() + ", compute capability "
                    + device.computeCapability() + ") has no BF16 arithmetic (it needs 8.0 or newer); use {dtype} fp16 or fp32");
        }
        return requested;
    }
}
