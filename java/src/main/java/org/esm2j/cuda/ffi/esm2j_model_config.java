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
 *     int32_t num_layers;
 *     int32_t hidden_size;
 *     int32_t num_heads;
 *     int32_t intermediate_size;
 *     int32_t vocab_size;
 *     float layer_norm_eps;
 *     int32_t token_dropout;
 *     int32_t mask_token_id;
 *     int32_t compute_dtype;
 * }
 * }
 */
public class esm2j_model_config {

    esm2j_model_config() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        Esm2jH.C_INT.withName("num_layers"),
        Esm2jH.C_INT.withName("hidden_size"),
        Esm2jH.C_INT.withName("num_heads"),
        Esm2jH.C_INT.withName("intermediate_size"),
        Esm2jH.C_INT.withName("vocab_size"),
        Esm2jH.C_FLOAT.withName("layer_norm_eps"),
        Esm2jH.C_INT.withName("token_dropout"),
        Esm2jH.C_INT.withName("mask_token_id"),
        Esm2jH.C_INT.withName("compute_dtype")
    ).withName("esm2j_model_config");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final OfInt num_layers$LAYOUT = (OfInt)$LAYOUT.select(groupElement("num_layers"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t num_layers
     * }
     */
    public static final OfInt num_layers$layout() {
        return num_layers$LAYOUT;
    }

    private static final long num_layers$OFFSET = $LAYOUT.byteOffset(groupElement("num_layers"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t num_layers
     * }
     */
    public static final long num_layers$offset() {
        return num_layers$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t num_layers
     * }
     */
    public static int num_layers(MemorySegment struct) {
        return struct.get(num_layers$LAYOUT, num_layers$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t num_layers
     * }
     */
    public static void num_layers(MemorySegment struct, int fieldValue) {
        struct.set(num_layers$LAYOUT, num_layers$OFFSET, fieldValue);
    }

    private static final OfInt hidden_size$LAYOUT = (OfInt)$LAYOUT.select(groupElement("hidden_size"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t hidden_size
     * }
     */
    public static final OfInt hidden_size$layout() {
        return hidden_size$LAYOUT;
    }

    private static final long hidden_size$OFFSET = $LAYOUT.byteOffset(groupElement("hidden_size"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t hidden_size
     * }
     */
    public static final long hidden_size$offset() {
        return hidden_size$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t hidden_size
     * }
     */
    public static int hidden_size(MemorySegment struct) {
        return struct.get(hidden_size$LAYOUT, hidden_size$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t hidden_size
     * }
     */
    public static void hidden_size(MemorySegment struct, int fieldValue) {
        struct.set(hidden_size$LAYOUT, hidden_size$OFFSET, fieldValue);
    }

    private static final OfInt num_heads$LAYOUT = (OfInt)$LAYOUT.select(groupElement("num_heads"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t num_heads
     * }
     */
    public static final OfInt num_heads$layout() {
        return num_heads$LAYOUT;
    }

    private static final long num_heads$OFFSET = $LAYOUT.byteOffset(groupElement("num_heads"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t num_heads
     * }
     */
    public static final long num_heads$offset() {
        return num_heads$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t num_heads
     * }
     */
    public static int num_heads(MemorySegment struct) {
        return struct.get(num_heads$LAYOUT, num_heads$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t num_heads
     * }
     */
    public static void num_heads(MemorySegment struct, int fieldValue) {
        struct.set(num_heads$LAYOUT, num_heads$OFFSET, fieldValue);
    }

    private static final OfInt intermediate_size$LAYOUT = (OfInt)$LAYOUT.select(groupElement("intermediate_size"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t intermediate_size
     * }
     */
    public static final OfInt intermediate_size$layout() {
        return intermediate_size$LAYOUT;
    }

    private static final long intermediate_size$OFFSET = $LAYOUT.byteOffset(groupElement("intermediate_size"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t intermediate_size
     * }
     */
    public static final long intermediate_size$offset() {
        return intermediate_size$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t intermediate_size
     * }
     */
    public static int intermediate_size(MemorySegment struct) {
        return struct.get(intermediate_size$LAYOUT, intermediate_size$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t intermediate_size
     * }
     */
    public static void intermediate_size(MemorySegment struct, int fieldValue) {
        struct.set(intermediate_size$LAYOUT, intermediate_size$OFFSET, fieldValue);
    }

    private static final OfInt vocab_size$LAYOUT = (OfInt)$LAYOUT.select(groupElement("vocab_size"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t vocab_size
     * }
     */
    public static final OfInt vocab_size$layout() {
        return vocab_size$LAYOUT;
    }

    private static final long vocab_size$OFFSET = $LAYOUT.byteOffset(groupElement("vocab_size"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t vocab_size
     * }
     */
    public static final long vocab_size$offset() {
        return vocab_size$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t vocab_size
     * }
     */
    public static int vocab_size(MemorySegment struct) {
        return struct.get(vocab_size$LAYOUT, vocab_size$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t vocab_size
     * }
     */
    public static void vocab_size(MemorySegment struct, int fieldValue) {
        struct.set(vocab_size$LAYOUT, vocab_size$OFFSET, fieldValue);
    }

    private static final OfFloat layer_norm_eps$LAYOUT = (OfFloat)$LAYOUT.select(groupElement("layer_norm_eps"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float layer_norm_eps
     * }
     */
    public static final OfFloat layer_norm_eps$layout() {
        return layer_norm_eps$LAYOUT;
    }

    private static final long layer_norm_eps$OFFSET = $LAYOUT.byteOffset(groupElement("layer_norm_eps"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float layer_norm_eps
     * }
     */
    public static final long layer_norm_eps$offset() {
        return layer_norm_eps$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float layer_norm_eps
     * }
     */
    public static float layer_norm_eps(MemorySegment struct) {
        return struct.get(layer_norm_eps$LAYOUT, layer_norm_eps$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float layer_norm_eps
     * }
     */
    public static void layer_norm_eps(MemorySegment struct, float fieldValue) {
        struct.set(layer_norm_eps$LAYOUT, layer_norm_eps$OFFSET, fieldValue);
    }

    private static final OfInt token_dropout$LAYOUT = (OfInt)$LAYOUT.select(groupElement("token_dropout"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t token_dropout
     * }
     */
    public static final OfInt token_dropout$layout() {
        return token_dropout$LAYOUT;
    }

    private static final long token_dropout$OFFSET = $LAYOUT.byteOffset(groupElement("token_dropout"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t token_dropout
     * }
     */
    public static final long token_dropout$offset() {
        return token_dropout$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t token_dropout
     * }
     */
    public static int token_dropout(MemorySegment struct) {
        return struct.get(token_dropout$LAYOUT, token_dropout$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t token_dropout
     * }
     */
    public static void token_dropout(MemorySegment struct, int fieldValue) {
        struct.set(token_dropout$LAYOUT, token_dropout$OFFSET, fieldValue);
    }

    private static final OfInt mask_token_id$LAYOUT = (OfInt)$LAYOUT.select(groupElement("mask_token_id"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t mask_token_id
     * }
     */
    public static final OfInt mask_token_id$layout() {
        return mask_token_id$LAYOUT;
    }

    private static final long mask_token_id$OFFSET = $LAYOUT.byteOffset(groupElement("mask_token_id"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t mask_token_id
     * }
     */
    public static final long mask_token_id$offset() {
        return mask_token_id$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t mask_token_id
     * }
     */
    public static int mask_token_id(MemorySegment struct) {
        return struct.get(mask_token_id$LAYOUT, mask_token_id$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t mask_token_id
     * }
     */
    public static void mask_token_id(MemorySegment struct, int fieldValue) {
        struct.set(mask_token_id$LAYOUT, mask_token_id$OFFSET, fieldValue);
    }

    private static final OfInt compute_dtype$LAYOUT = (OfInt)$LAYOUT.select(groupElement("compute_dtype"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t compute_dtype
     * }
     */
    public static final OfInt compute_dtype$layout() {
        return compute_dtype$LAYOUT;
    }

    private static final long compute_dtype$OFFSET = $LAYOUT.byteOffset(groupElement("compute_dtype"));

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t compute_dtype
     * }
     */
    public static final long compute_dtype$offset() {
        return compute_dtype$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t compute_dtype
     * }
     */
    public static int compute_dtype(MemorySegment struct) {
        return struct.get(compute_dtype$LAYOUT, compute_dtype$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t compute_dtype
     * }
     */
    public static void compute_dtype(MemorySegment struct, int fieldValue) {
        struct.set(compute_dtype$LAYOUT, compute_dtype$OFFSET, fieldValue);
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

