package org.esm2j.device;

import java.util.List;

/** How a device that has a choice of attention backend is told which to use ({@link EncoderDevice#attention()}). */
public interface AttentionSwitch {

    /** The backends the device can run, never {@link AttentionBackend#AUTO}. */
    List<AttentionBackend> offered();

    /**
     * Computes attention with {@code backend} from the next batch on. Never called while a batch is pending.
     *
     * @throws IllegalArgumentException for a backend not {@linkplain #offered() offered}
     * @throws IllegalStateException    while a batch is pending
     */
    void set(AttentionBackend backend);

    /** The backend set: the library's default (flash) until {@link #set} is called. */
    AttentionBackend current();

    /**
     * What the last batch awaited used, which differs from the backend set when that one could not run it (cuDNN
     * refusing a shape: the CUDA library then uses the flash kernel, and says why); null before the first batch.
     */
    Use used();

    /** What computed a batch's attention, and why it is not the backend asked for ({@code ""} when it is). */
    record Use(AttentionBackend backend, String note) {
    }
}
