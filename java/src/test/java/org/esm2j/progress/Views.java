package org.esm2j.progress;

import java.util.List;

/** Device and run views for rendering tests, with figures like a real run's. */
final class Views {
    static final long GIB = 1L << 30;

    private Views() {
    }

    static DeviceView cpu() {
        return new DeviceView("cpu", "CPU, 2 threads, FP32, 512-bit vectors", 1204, 312_480, 80, 40_000_000_000L,
                8_230, 0.98, new Memory(Memory.Kind.HEAP, 1_200L << 20, 8 * GIB, 2_300L << 20), 4096, 0, null);
    }

    static DeviceView gpu(int index) {
        return new DeviceView("cuda:" + index, "NVIDIA H100 80GB HBM3, BF16", 41_200 + index, 12_100_000L + index, 900, 100_000_000_000L,
                98_200, 0.99, new Memory(Memory.Kind.DEVICE, 61 * GIB, 80 * GIB, 70 * GIB), 65_536, 0, null);
    }

    static DeviceView withId(DeviceView d, String id) {
        return new DeviceView(id, d.description(), d.sequences(), d.tokens(), d.batches(), d.busyNanos(), d.recentTokensPerSecond(),
                d.recentBusyFraction(), d.memory(), d.tokenBudget(), d.oomRetries(), d.failure());
    }

    static DeviceView withRetries(DeviceView d, long retries) {
        return new DeviceView(d.id(), d.description(), d.sequences(), d.tokens(), d.batches(), d.busyNanos(), d.recentTokensPerSecond(),
                d.recentBusyFraction(), d.memory(), d.tokenBudget(), retries, d.failure());
    }

    static DeviceView failed(DeviceView d, String why) {
        return new DeviceView(d.id(), d.description(), d.sequences(), d.tokens(), d.batches(), d.busyNanos(), 0, 0,
                d.memory(), d.tokenBudget(), d.oomRetries(), why);
    }

    static DeviceView bare(String id) {
        return new DeviceView(id, null, 10, 2000, 1, 1_000_000_000L, 2000, 0.5, Memory.UNKNOWN, -1, 0, null);
    }

    /** A run 62% through its residues, at the devices' combined rate. */
    static RunView run(List<DeviceView> devices) {
        long sequences = devices.stream().mapToLong(DeviceView::sequences).sum();
        long tokens = devices.stream().mapToLong(DeviceView::tokens).sum();
        double rate = devices.stream().mapToDouble(DeviceView::recentTokensPerSecond).sum();
        long residues = tokens - 2 * sequences;
        return new RunView(123_000_000_000L, sequences, tokens, residues, sequences * 100 / 62, residues * 100 / 62,
                rate, rate * 0.95, devices);
    }

    static RunView streaming(List<DeviceView> devices) {
        RunView r = run(devices);
        return new RunView(r.elapsedNanos(), r.sequencesDone(), r.tokensDone(), r.residuesDone(), -1, -1,
                r.recentTokensPerSecond(), r.recentResiduesPerSecond(), devices);
    }
}
