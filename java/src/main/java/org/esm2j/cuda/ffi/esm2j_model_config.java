package org.esm2j.cuda.ffi;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * typedef struct {
 *     int32_t num_layers;
 *     int32_t hidden_size;
 *     int32_t num_heads;
 *     int32_t intermediate_size;
 *     int32_t vocab_size;
 *     float layer_norm_eps;
 *     int32_t token_dropout;
 *     int32_t mask_token_id;
 *     int32_t compute_dtype;
 * } esm2j_model_config;
 * }
 */
@SuppressWarnings({"unused", "checkstyle:all"})
public final class esm2j_model_config {

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

    /** The layout of this struct */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final ValueLayout.OfInt num_layers$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("num_layers"));

    /** Layout for field num_layers */
    public static final ValueLayout.OfInt num_layers$layout() {
        return num_layers$LAYOUT;
    }

    private static final long num_layers$OFFSET = 0;

    /** Offset for field num_layers */
    public static final long num_layers$offset() {
        return num_layers$OFFSET;
    }

    /** Getter for field num_layers */
    public static int num_layers(MemorySegment struct) {
        return struct.get(num_layers$LAYOUT, num_layers$OFFSET);
    }

    /** Setter for field num_layers */
    public static void num_layers(MemorySegment struct, int fieldValue) {
        struct.set(num_layers$LAYOUT, num_layers$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt hidden_size$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("hidden_size"));

    /** Layout for field hidden_size */
    public static final ValueLayout.OfInt hidden_size$layout() {
        return hidden_size$LAYOUT;
    }

    private static final long hidden_size$OFFSET = 4;

    /** Offset for field hidden_size */
    public static final long hidden_size$offset() {
        return hidden_size$OFFSET;
    }

    /** Getter for field hidden_size */
    public static int hidden_size(MemorySegment struct) {
        return struct.get(hidden_size$LAYOUT, hidden_size$OFFSET);
    }

    /** Setter for field hidden_size */
    public static void hidden_size(MemorySegment struct, int fieldValue) {
        struct.set(hidden_size$LAYOUT, hidden_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt num_heads$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("num_heads"));

    /** Layout for field num_heads */
    public static final ValueLayout.OfInt num_heads$layout() {
        return num_heads$LAYOUT;
    }

    private static final long num_heads$OFFSET = 8;

    /** Offset for field num_heads */
    public static final long num_heads$offset() {
        return num_heads$OFFSET;
    }

    /** Getter for field num_heads */
    public static int num_heads(MemorySegment struct) {
        return struct.get(num_heads$LAYOUT, num_heads$OFFSET);
    }

    /** Setter for field num_heads */
    public static void num_heads(MemorySegment struct, int fieldValue) {
        struct.set(num_heads$LAYOUT, num_heads$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt intermediate_size$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("intermediate_size"));

    /** Layout for field intermediate_size */
    public static final ValueLayout.OfInt intermediate_size$layout() {
        return intermediate_size$LAYOUT;
    }

    private static final long intermediate_size$OFFSET = 12;

    /** Offset for field intermediate_size */
    public static final long intermediate_size$offset() {
        return intermediate_size$OFFSET;
    }

    /** Getter for field intermediate_size */
    public static int intermediate_size(MemorySegment struct) {
        return struct.get(intermediate_size$LAYOUT, intermediate_size$OFFSET);
    }

    /** Setter for field intermediate_size */
    public static void intermediate_size(MemorySegment struct, int fieldValue) {
        struct.set(intermediate_size$LAYOUT, intermediate_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt vocab_size$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("vocab_size"));

    /** Layout for field vocab_size */
    public static final ValueLayout.OfInt vocab_size$layout() {
        return vocab_size$LAYOUT;
    }

    private static final long vocab_size$OFFSET = 16;

    /** Offset for field vocab_size */
    public static final long vocab_size$offset() {
        return vocab_size$OFFSET;
    }

    /** Getter for field vocab_size */
    public static int vocab_size(MemorySegment struct) {
        return struct.get(vocab_size$LAYOUT, vocab_size$OFFSET);
    }

    /** Setter for field vocab_size */
    public static void vocab_size(MemorySegment struct, int fieldValue) {
        struct.set(vocab_size$LAYOUT, vocab_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfFloat layer_norm_eps$LAYOUT = (ValueLayout.OfFloat) $LAYOUT.select(groupElement("layer_norm_eps"));

    /** Layout for field layer_norm_eps */
    public static final ValueLayout.OfFloat layer_norm_eps$layout() {
        return layer_norm_eps$LAYOUT;
    }

    private static final long layer_norm_eps$OFFSET = 20;

    /** Offset for field layer_norm_eps */
    public static final long layer_norm_eps$offset() {
        return layer_norm_eps$OFFSET;
    }

    /** Getter for field layer_norm_eps */
    public static float layer_norm_eps(MemorySegment struct) {
        return struct.get(layer_norm_eps$LAYOUT, layer_norm_eps$OFFSET);
    }

    /** Setter for field layer_norm_eps */
    public static void layer_norm_eps(MemorySegment struct, float fieldValue) {
        struct.set(layer_norm_eps$LAYOUT, layer_norm_eps$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt token_dropout$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("token_dropout"));

    /** Layout for field token_dropout */
    public static final ValueLayout.OfInt token_dropout$layout() {
        return token_dropout$LAYOUT;
    }

    private static final long token_dropout$OFFSET = 24;

    /** Offset for field token_dropout */
    public static final long token_dropout$offset() {
        return token_dropout$OFFSET;
    }

    /** Getter for field token_dropout */
    public static int token_dropout(MemorySegment struct) {
        return struct.get(token_dropout$LAYOUT, token_dropout$OFFSET);
    }

    /** Setter for field token_dropout */
    public static void token_dropout(MemorySegment struct, int fieldValue) {
        struct.set(token_dropout$LAYOUT, token_dropout$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt mask_token_id$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("mask_token_id"));

    /** Layout for field mask_token_id */
    public static final ValueLayout.OfInt mask_token_id$layout() {
        return mask_token_id$LAYOUT;
    }

    private static final long mask_token_id$OFFSET = 28;

    /** Offset for field mask_token_id */
    public static final long mask_token_id$offset() {
        return mask_token_id$OFFSET;
    }

    /** Getter for field mask_token_id */
    public static int mask_token_id(MemorySegment struct) {
        return struct.get(mask_token_id$LAYOUT, mask_token_id$OFFSET);
    }

    /** Setter for field mask_token_id */
    public static void mask_token_id(MemorySegment struct, int fieldValue) {
        struct.set(mask_token_id$LAYOUT, mask_token_id$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt compute_dtype$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("compute_dtype"));

    /** Layout for field compute_dtype */
    public static final ValueLayout.OfInt compute_dtype$layout() {
        return compute_dtype$LAYOUT;
    }

    private static final long compute_dtype$OFFSET = 32;

    /** Offset for field compute_dtype */
    public static final long compute_dtype$offset() {
        return compute_dtype$OFFSET;
    }

    /** Getter for field compute_dtype */
    public static int compute_dtype(MemorySegment struct) {
        return struct.get(compute_dtype$LAYOUT, compute_dtype$OFFSET);
    }

    /** Setter for field compute_dtype */
    public static void compute_dtype(MemorySegment struct, int fieldValue) {
        struct.set(compute_dtype$LAYOUT, compute_dtype$OFFSET, fieldValue);
    }

    /** Obtains a slice of {@code arrayParam} which selects the array element at {@code index}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(layout().byteSize() * index);
    }

    /** The size (in bytes) of this struct */
    public static long sizeof() {
        return layout().byteSize();
    }

    /** Allocate a segment of size {@code layout().byteSize()} using {@code allocator} */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    /** Allocate an array of size {@code elementCount} using {@code allocator}. */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /** Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any). */
    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return reinterpret(addr, 1, arena, cleanup);
    }

    /** Reinterprets {@code addr} as an array of {@code elementCount} structs. */
    public static MemorySegment reinterpret(MemorySegment addr, long elementCount, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanup);
    }
}
