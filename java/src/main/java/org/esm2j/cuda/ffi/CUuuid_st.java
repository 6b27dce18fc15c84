// Generated from CUDA's cuda_runtime_api.h by scripts/jextract.sh with jextract 23 (openjdk/jextract@f9866df3a178), libclang 16.0.6, CUDA 13.0 headers: do not edit, regenerate.

package org.esm2j.cuda.ffi;

import java.lang.invoke.*;
import java.lang.foreign.*;
import java.nio.ByteOrder;
import java.util.*;
import java.util.function.*;
import java.util.stream.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.*;

/**
 * {@snippet lang=c :
 * struct CUuuid_st {
 *     char bytes[16];
 * }
 * }
 */
public class CUuuid_st {

    CUuuid_st() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(16, CudaRuntimeH.C_CHAR).withName("bytes")
    ).withName("CUuuid_st");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final SequenceLayout bytes$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("bytes"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * char bytes[16]
     * }
     */
    public static final SequenceLayout bytes$layout() {
        return bytes$LAYOUT;
    }

    private static final long bytes$OFFSET = $LAYOUT.byteOffset(groupElement("bytes"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * char bytes[16]
     * }
     */
    public static final long bytes$offset() {
        return bytes$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * char bytes[16]
     * }
     */
    public static MemorySegment bytes(MemorySegment struct) {
        return struct.asSlice(bytes$OFFSET, bytes$LAYOUT.byteSize());
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * char bytes[16]
     * }
     */
    public static void bytes(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, bytes$OFFSET, bytes$LAYOUT.byteSize());
    }

    private static long[] bytes$DIMS = { 16 };

    /**
     * Dimensions for array field:
     * {@snippet lang=c :
     * char bytes[16]
     * }
     */
    public static long[] bytes$dimensions() {
        return bytes$DIMS;
    }
    private static final VarHandle bytes$ELEM_HANDLE = bytes$LAYOUT.varHandle(sequenceElement());

    /**
     * Indexed getter for field:
     * {@snippet lang=c :
     * char bytes[16]
     * }
     */
    public static byte bytes(MemorySegment struct, long index0) {
        return (byte)bytes$ELEM_HANDLE.get(struct, bytes$OFFSET, index0);
    }

    /**
     * Indexed setter for field:
     * {@snippet lang=c :
     * char bytes[16]
     * }
     */
    public static void bytes(MemorySegment struct, long index0, byte fieldValue) {
        bytes$ELEM_HANDLE.set(struct, bytes$OFFSET, index0, fieldValue);
    }

    /**
     * Obtains a slice of {@code arrayParam} which selects the array element at {@code index}.
     * The returned segment has address {@code arrayParam.address() + index * layout().byteSize()}
     */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(layout().byteSize() * index);
    }

    /**
     * The size (in bytes) of this struct
     */
    public static long sizeof() { return layout().byteSize(); }

    /**
     * Allocate a segment of size {@code layout().byteSize()} using {@code allocator}
     */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    /**
     * Allocate an array of size {@code elementCount} using {@code allocator}.
     * The returned segment has size {@code elementCount * layout().byteSize()}.
     */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     * The returned segment has size {@code layout().byteSize()}
     */
    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return reinterpret(addr, 1, arena, cleanup);
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     * The returned segment has size {@code elementCount * layout().byteSize()}
     */
    public static MemorySegment reinterpret(MemorySegment addr, long elementCount, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanup);
    }
}

