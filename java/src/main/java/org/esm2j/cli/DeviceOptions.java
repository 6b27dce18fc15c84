package org.esm2j.cli;

import org.esm2j.device.OutputSpec;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.device.cuda.ComputeDtype;
import org.esm2j.model.EsmModel;
import org.esm2j.schedule.BatchExecutor;
import org.esm2j.schedule.DeviceSelection;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import picocli.CommandLine.Option;

/**
 * Where and how batches run: {@code --device}, {@code --dtype}, {@code --threads}, {@code --toks-per-batch} …
 *
 * <p>{@code --device auto} (the default) uses every visible GPU when libesm2j loads and a GPU answers, and the
 * CPU otherwise, saying why in one line. {@code --device cuda} insists: no GPU is exit code 6 with the reason.
 * Contacts are computed by the CPU encoder only (the CUDA library has no contact head yet): {@code auto} then
 * picks the CPU and says so; {@code cuda} refuses.
 */
public final class DeviceOptions {

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto",
            description = "auto (default: every visible GPU, else the CPU), cpu, cuda (every visible GPU, or fail), "
                    + "or cuda:0,2 for given GPUs (numbered after CUDA_VISIBLE_DEVICES; see 'esm2j devices').")
    String device;

    @Option(names = "--nogpu", description = "Same as --device cpu (fair-esm's spelling).")
    boolean noGpu;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "auto",
            description = "GPU arithmetic: auto (default: bf16 on compute capability 8.0+, fp16 below), bf16, fp16, "
                    + "or fp32 (exact, slower). The CPU always computes in fp32.")
    String dtype;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: all cores).")
    Integer threads;

    @Option(names = {"--toks-per-batch", "--toks_per_batch"}, paramLabel = "N", defaultValue = "0",
            description = "Tokens per batch; 0 (default) = automatic: on the CPU " + CpuDevice.DEFAULT_TOKEN_BUDGET + " (busy kernels, "
                    + "bounded memory), on a GPU the largest batch that fits, found by trial once and remembered in "
                    + "~/.cache/esm2j/batch-sizes.json ($ESM2J_CACHE_DIR).")
    long toksPerBatch;

    @Option(names = "--no-self-check",
            description = "Skip the start-up check that runs a few probe sequences through each GPU and the CPU encoder "
                    + "and refuses a GPU whose results disagree.")
    boolean noSelfCheck;

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
            throw new UsageException("--toks-per-batch must be >= 0 (0 = automatic), got " + toksPerBatch);
        }
        selection();
    }

    /** The selection these options describe. */
    public DeviceSelection selection() {
        return new DeviceSelection(deviceChoice(), ComputeDtype.parse(dtype), threadCount(), maxBatchSequences, !noSelfCheck);
    }

    /** The devices the run uses, ready to take batches, behind one scheduler. */
    public BatchExecutor openExecutor(EsmModel esm, OutputSpec spec, RunStats stats, RunListener listener) {
        return selection().openScheduler(esm, spec, toksPerBatch, stats, listener);
    }
}
