package org.esm2j.model;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a memory-mapped safetensors file.
 *
 * @param name  the key in the file
 * @param dtype element type
 * @param shape dimensions, outermost first (row-major)
 * @param data  exactly the tensor's bytes, a slice of the file's mapping (read-only, possibly unaligned)
 * @param file  the file it lives in, for error messages
 */
public record TensorInfo(String name, DType dtype, long[] shape, MemorySegment data, Path file) {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public int rank() {
        return shape.length;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    /** Element i converted to float (F32, F16, BF16, F64). */
    public float getFloat(long i) {
        return switch (dtype) {
            case F32 -> data.getAtIndex(F32, i);
            case F16 -> Float.float16ToFloat(data.getAtIndex(I16, i));
            case BF16 -> Float.intBitsToFloat((data.getAtIndex(I16, i) & 0xffff) << 16);
            case F64 -> (float) data.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
            default -> throw new IllegalStateException("tensor " + name + " has dtype " + dtype + ", not a float type");
        };
    }

    /** The whole tensor as floats on the heap: for small tensors (biases, norms) and tests only. */
    public float[] toFloatArray() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor " + name + " is too large for a Java array: " + shapeString());
        }
        float[] out = new float[(int) n];
        if (dtype == DType.F32) {
            MemorySegment.copy(data, F32, 0, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = getFloat(i);
            }
        }
        return out;
    }

    /** The whole tensor as longs (I64 or I32), for token ids in reference files. */
    public long[] toLongArray() {
        long[] out = new long[Math.toIntExact(numel())];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case I64 -> data.getAtIndex(I64, i);
                case I32 -> data.getAtIndex(I32, i);
                default -> throw new IllegalStateException("tensor " + name + " has dtype " + dtype + ", not an integer type");
            };
        }
        return out;
    }
}
