package org.esm2j.cli;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.model.EsmModel;
import org.esm2j.run.BatchExecutor;
import org.esm2j.run.CpuDevice;
import org.esm2j.run.RunListener;
import org.esm2j.run.RunStats;
import org.esm2j.run.SingleDeviceExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Where and how batches run: --device, --threads, --toks-per-batch … */
public final class DeviceOptions {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceOptions.class);

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto",
            description = "auto (default), cpu, cuda, or cuda:0,2 for given GPUs.")
    String device;

    @Option(names = "--nogpu", description = "Same as --device cpu (fair-esm's spelling).")
    boolean noGpu;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: all cores).")
    Integer threads;

    @Option(names = {"--toks-per-batch", "--toks_per_batch"}, paramLabel = "N", defaultValue = "0",
            description = "Tokens per batch; 0 (default) = automatic for the device.")
    long toksPerBatch;

    @Option(names = "--max-batch-sequences", paramLabel = "N", defaultValue = "4096",
            description = "At most N sequences per batch (default ${DEFAULT-VALUE}).")
    int maxBatchSequences;

    public String deviceChoice() {
        return noGpu ? "cpu" : device;
    }

    public int maxBatchSequences() {
        return maxBatchSequences;
    }

    public int threadCount() {
        return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** Checks the options before any expensive work. */
    public void validate() {
        if (toksPerBatch < 0) {
            throw new IllegalArgumentException("--toks-per-batch must be >= 0 (0 = automatic), got " + toksPerBatch);
        }
        if (maxBatchSequences < 1) {
            throw new IllegalArgumentException("--max-batch-sequences must be >= 1");
        }
        if (threadCount() < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threadCount());
        }
        String d = deviceChoice().toLowerCase();
        if (!d.equals("auto") && !d.equals("cpu") && !d.matches("cuda(:\\d+(,\\d+)*)?")) {
            throw new IllegalArgumentException("--device " + deviceChoice() + ": expected auto, cpu, cuda or cuda:N[,M...]");
        }
    }

    /** The devices the run uses, ready to take batches. */
    public BatchExecutor openExecutor(EsmModel esm, RunStats stats, RunListener listener) {
        String d = deviceChoice().toLowerCase();
        if (d.startsWith("cuda")) {
            throw new Esm2jException(ExitCode.DEVICE_FAILURE,
                    "--device " + deviceChoice() + ": the CUDA backend is not available in this build; use --device cpu or auto");
        }
        if (d.equals("auto")) {
            LOG.info("device: CPU ({} threads); the CUDA backend is not part of this build yet", threadCount());
        } else {
            LOG.info("device: CPU ({} threads)", threadCount());
        }
        return new SingleDeviceExecutor(new CpuDevice(esm.weights(), threadCount()), toksPerBatch, stats, listener);
    }
}
