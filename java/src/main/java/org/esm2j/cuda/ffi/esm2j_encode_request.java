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

/**
 * {@snippet lang=c :
 * struct {
 *     const int32_t *tokens;
 *     int32_t n_tokens;
 *     const int32_t *cu_seqlens;
 *     int32_t n_seqs;
 *     const int32_t *repr_layers;
 *     int32_t n_repr_layers;
 *     uint32_t outputs;
 *     float *mean;
 *     float *bos;
 *     float *per_token;
 *     float *logits;
 *     int32_t outputs_on_device;
 * }
 * }
 */
public class esm2j_encode_request {

    esm2j_encode_request() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        Esm2jH.C_POINTER.withName("tokens"),
        Esm2jH.C_INT.withName("n_tokens"),
        MemoryLayout.paddingLayout(4),
        Esm2jH.C_POINTER.withName("cu_seqlens"),
        Esm2jH.C_INT.withName("n_seqs"),
        MemoryLayout.paddingLayout(4),
        Esm2jH.C_POINTER.withName("repr_layers"),
        Esm2jH.C_INT.withName("n_repr_layers"),
        Esm2jH.C_INT.withName("outputs"),
        Esm2jH.C_POINTER.withName("mean"),
        Esm2jH.C_POINTER.withName("bos"),
        Esm2jH.C_POINTER.withName("per_token"),
        Esm2jH.C_POINTER.withName("logits"),
        Esm2jH.C_INT.withName("outputs_on_device"),
        MemoryLayout.paddingLayout(4)
    ).withName("esm2j_encode_request");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout tokens$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("tokens"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const int32_t *tokens
     * }
     */
    public static final AddressLayout tokens$layout() {
        return tokens$LAYOUT;
    }

    private static final long tokens$OFFSET = $LAYOUT.byteOffset(groupElement("tokens"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const int32_t *tokens
     * }
     */
    public static final long tokens$offset() {
        return tokens$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const int32_t *tokens
     * }
     */
    public static MemorySegment tokens(MemorySegment struct) {
        return struct.get(tokens$LAYOUT, tokens$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const int32_t *tokens
     * }
     */
    public static void tokens(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(tokens$LAYOUT, tokens$OFFSET, fieldValue);
    }

    private static final OfInt n_tokens$LAYOUT = (OfInt)$LAYOUT.select(groupElement("n_tokens"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_tokens
     * }
     */
    public static final OfInt n_tokens$layout() {
        return n_tokens$LAYOUT;
    }

    private static final long n_tokens$OFFSET = $LAYOUT.byteOffset(groupElement("n_tokens"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_tokens
     * }
     */
    public static final long n_tokens$offset() {
        return n_tokens$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_tokens
     * }
     */
    public static int n_tokens(MemorySegment struct) {
        return struct.get(n_tokens$LAYOUT, n_tokens$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_tokens
     * }
     */
    public static void n_tokens(MemorySegment struct, int fieldValue) {
        struct.set(n_tokens$LAYOUT, n_tokens$OFFSET, fieldValue);
    }

    private static final AddressLayout cu_seqlens$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("cu_seqlens"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const int32_t *cu_seqlens
     * }
     */
    public static final AddressLayout cu_seqlens$layout() {
        return cu_seqlens$LAYOUT;
    }

    private static final long cu_seqlens$OFFSET = $LAYOUT.byteOffset(groupElement("cu_seqlens"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const int32_t *cu_seqlens
     * }
     */
    public static final long cu_seqlens$offset() {
        return cu_seqlens$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const int32_t *cu_seqlens
     * }
     */
    public static MemorySegment cu_seqlens(MemorySegment struct) {
        return struct.get(cu_seqlens$LAYOUT, cu_seqlens$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const int32_t *cu_seqlens
     * }
     */
    public static void cu_seqlens(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(cu_seqlens$LAYOUT, cu_seqlens$OFFSET, fieldValue);
    }

    private static final OfInt n_seqs$LAYOUT = (OfInt)$LAYOUT.select(groupElement("n_seqs"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_seqs
     * }
     */
    public static final OfInt n_seqs$layout() {
        return n_seqs$LAYOUT;
    }

    private static final long n_seqs$OFFSET = $LAYOUT.byteOffset(groupElement("n_seqs"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_seqs
     * }
     */
    public static final long n_seqs$offset() {
        return n_seqs$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_seqs
     * }
     */
    public static int n_seqs(MemorySegment struct) {
        return struct.get(n_seqs$LAYOUT, n_seqs$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_seqs
     * }
     */
    public static void n_seqs(MemorySegment struct, int fieldValue) {
        struct.set(n_seqs$LAYOUT, n_seqs$OFFSET, fieldValue);
    }

    private static final AddressLayout repr_layers$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("repr_layers"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const int32_t *repr_layers
     * }
     */
    public static final AddressLayout repr_layers$layout() {
        return repr_layers$LAYOUT;
    }

    private static final long repr_layers$OFFSET = $LAYOUT.byteOffset(groupElement("repr_layers"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const int32_t *repr_layers
     * }
     */
    public static final long repr_layers$offset() {
        return repr_layers$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const int32_t *repr_layers
     * }
     */
    public static MemorySegment repr_layers(MemorySegment struct) {
        return struct.get(repr_layers$LAYOUT, repr_layers$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const int32_t *repr_layers
     * }
     */
    public static void repr_layers(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(repr_layers$LAYOUT, repr_layers$OFFSET, fieldValue);
    }

    private static final OfInt n_repr_layers$LAYOUT = (OfInt)$LAYOUT.select(groupElement("n_repr_layers"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t n_repr_layers
     * }
     */
    public static final OfInt n_repr_layers$layout() {
        return n_repr_layers$LAYOUT;
    }

    private static final long n_repr_layers$OFFSET = $LAYOUT.byteOffset(groupElement("n_repr_layers"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t n_repr_layers
     * }
     */
    public static final long n_repr_layers$offset() {
        return n_repr_layers$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t n_repr_layers
     * }
     */
    public static int n_repr_layers(MemorySegment struct) {
        return struct.get(n_repr_layers$LAYOUT, n_repr_layers$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t n_repr_layers
     * }
     */
    public static void n_repr_layers(MemorySegment struct, int fieldValue) {
        struct.set(n_repr_layers$LAYOUT, n_repr_layers$OFFSET, fieldValue);
    }

    private static final OfInt outputs$LAYOUT = (OfInt)$LAYOUT.select(groupElement("outputs"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * uint32_t outputs
     * }
     */
    public static final OfInt outputs$layout() {
        return outputs$LAYOUT;
    }

    private static final long outputs$OFFSET = $LAYOUT.byteOffset(groupElement("outputs"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * uint32_t outputs
     * }
     */
    public static final long outputs$offset() {
        return outputs$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * uint32_t outputs
     * }
     */
    public static int outputs(MemorySegment struct) {
        return struct.get(outputs$LAYOUT, outputs$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * uint32_t outputs
     * }
     */
    public static void outputs(MemorySegment struct, int fieldValue) {
        struct.set(outputs$LAYOUT, outputs$OFFSET, fieldValue);
    }

    private static final AddressLayout mean$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("mean"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float *mean
     * }
     */
    public static final AddressLayout mean$layout() {
        return mean$LAYOUT;
    }

    private static final long mean$OFFSET = $LAYOUT.byteOffset(groupElement("mean"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float *mean
     * }
     */
    public static final long mean$offset() {
        return mean$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float *mean
     * }
     */
    public static MemorySegment mean(MemorySegment struct) {
        return struct.get(mean$LAYOUT, mean$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float *mean
     * }
     */
    public static void mean(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(mean$LAYOUT, mean$OFFSET, fieldValue);
    }

    private static final AddressLayout bos$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("bos"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float *bos
     * }
     */
    public static final AddressLayout bos$layout() {
        return bos$LAYOUT;
    }

    private static final long bos$OFFSET = $LAYOUT.byteOffset(groupElement("bos"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float *bos
     * }
     */
    public static final long bos$offset() {
        return bos$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float *bos
     * }
     */
    public static MemorySegment bos(MemorySegment struct) {
        return struct.get(bos$LAYOUT, bos$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float *bos
     * }
     */
    public static void bos(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(bos$LAYOUT, bos$OFFSET, fieldValue);
    }

    private static final AddressLayout per_token$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("per_token"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float *per_token
     * }
     */
    public static final AddressLayout per_token$layout() {
        return per_token$LAYOUT;
    }

    private static final long per_token$OFFSET = $LAYOUT.byteOffset(groupElement("per_token"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float *per_token
     * }
     */
    public static final long per_token$offset() {
        return per_token$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float *per_token
     * }
     */
    public static MemorySegment per_token(MemorySegment struct) {
        return struct.get(per_token$LAYOUT, per_token$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float *per_token
     * }
     */
    public static void per_token(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(per_token$LAYOUT, per_token$OFFSET, fieldValue);
    }

    private static final AddressLayout logits$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("logits"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float *logits
     * }
     */
    public static final AddressLayout logits$layout() {
        return logits$LAYOUT;
    }

    private static final long logits$OFFSET = $LAYOUT.byteOffset(groupElement("logits"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float *logits
     * }
     */
    public static final long logits$offset() {
        return logits$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float *logits
     * }
     */
    public static MemorySegment logits(MemorySegment struct) {
        return struct.get(logits$LAYOUT, logits$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float *logits
     * }
     */
    public static void logits(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(logits$LAYOUT, logits$OFFSET, fieldValue);
    }

    private static final OfInt outputs_on_device$LAYOUT = (OfInt)$LAYOUT.select(groupElement("outputs_on_device"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t outputs_on_device
     * }
     */
    public static final OfInt outputs_on_device$layout() {
        return outputs_on_device$LAYOUT;
    }

    private static final long outputs_on_device$OFFSET = $LAYOUT.byteOffset(groupElement("outputs_on_device"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t outputs_on_device
     * }
     */
    public static final long outputs_on_device$offset() {
        return outputs_on_device$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t outputs_on_device
     * }
     */
    public static int outputs_on_device(MemorySegment struct) {
        return struct.get(outputs_on_device$LAYOUT, outputs_on_device$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t outputs_on_device
     * }
     */
    public static void outputs_on_device(MemorySegment struct, int fieldValue) {
        struct.set(outputs_on_device$LAYOUT, outputs_on_device$OFFSET, fieldValue);
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

