package org.esm2j.device;

/**
 * Memory of one device at one moment: device memory for a GPU, simulated memory for a simulated device,
 * the JVM heap for the CPU.
 *
 * @param totalBytes capacity
 * @param freeBytes  what is left for new allocations
 * @param jvmHeap    the reading is the JVM heap (the CPU backend's memory), not memory of the device's own
 */
public record MemoryReading(long totalBytes, long freeBytes, boolean jvmHeap) {

    public MemoryReading(long totalBytes, long freeBytes) {
        this(totalBytes, freeBytes, false);
    }

    public long usedBytes() {
        return totalBytes - freeBytes;
    }

    /** The JVM heap as the CPU device sees it: the maximum heap is the capacity, garbage counts as used. */
    public static MemoryReading ofJvmHeap() {
        Runtime rt = Runtime.getRuntime();
        long max = rt.maxMemory();
        long used = rt.totalMemory() - rt.freeMemory();
        return new MemoryReading(max, Math.max(0, max - used), true);
    }
}
