package org.esm2j.device;

import java.util.List;

/** A batch a device has started; {@link #await()} waits for it and gives its results in the batch's order. */
@FunctionalInterface
public interface PendingBatch {
    /**
     * @throws DeviceOutOfMemoryException when the batch did not fit (nothing of it was delivered)
     * @throws DeviceFailureException     when the device failed
     */
    List<SequenceEmbedding> await();

    /** A batch that was over before {@code submit} returned (a synchronous device: the CPU). */
    record Done(List<SequenceEmbedding> results) implements PendingBatch {
        @Override
        public List<SequenceEmbedding> await() {
            return results;
        }
    }
}
