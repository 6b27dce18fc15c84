package org.esm2j.cli;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.cuda.ComputeDtype;
import org.esm2j.cuda.CudaDevice;
import org.esm2j.cuda.CudaDeviceInfo;
import org.esm2j.cuda.CudaDevices;
import org.esm2j.model.EsmModel;
import org.esm2j.model.OutputKind;
import org.esm2j.model.OutputSpec;
import org.esm2j.run.BatchExecutor;
import org.esm2j.run.CpuDevice;
import org.esm2j.run.DeviceScheduler;
import org.esm2j.run.EncoderDevice;
import org.esm2j.run.RunListener;
import org.esm2j.run.RunStats;
import org.esm2j.run.SizingCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where and how batches run: {@code --device}, {@code --dtype}, {@code --threads}, {@code --toks-per-batch} …
 *
 * <p>{@code --device auto} (the default) uses every visible GPU when libesm2j loads and a GPU answers, and the
 * CPU otherwise, saying why in one line. {@code --device cuda} insists: no GPU is exit code 6 with the reason.
 * Contacts are computed by the CPU encoder only (the CUDA library has no contact head yet): {@code auto} then
 * picks the CPU and says so; {@code cuda} refuses.
 */
public final class DeviceOptions {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceOptions.class);
    private static final String CPU_HINT = " (--device cpu runs on the CPU; --device auto falls back to it)";

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
            description = "Tokens per batch; 0 (default) = automatic: on a GPU the largest batch that fits, found by "
                    + "trial once and remembered in ~/.cache/esm2j/batch-sizes.json ($ESM2J_CACHE_DIR).")
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
        String d = deviceChoice().toLowerCase(Locale.ROOT);
        if (!d.equals("auto") && !d.equals("cpu") && !d.matches("cuda(:\\d+(,\\d+)*)?")) {
            throw new IllegalArgumentException("--device " + deviceChoice() + ": expected auto, cpu, cuda or cuda:N[,M...]");
        }
        ComputeDtype.parse(dtype);
    }

    /** The devices the run uses, ready to take batches, behind one scheduler. */
    public BatchExecutor openExecutor(EsmModel esm, OutputSpec spec, RunStats stats, RunListener listener) {
        List<EncoderDevice> devices = openDevices(esm, spec);
        String checkpoint = devices.getFirst() instanceof CpuDevice ? "cpu" : esm.fingerprint();
        return new DeviceScheduler(devices,
                DeviceScheduler.Options.defaults(toksPerBatch, maxBatchSequences, SizingCache.atDefaultLocation(), checkpoint),
                stats, listener);
    }

    List<EncoderDevice> openDevices(EsmModel esm, OutputSpec spec) {
        String d = deviceChoice().toLowerCase(Locale.ROOT);
        ComputeDtype requested = ComputeDtype.parse(dtype);
        if (d.equals("cpu")) {
            return cpu(esm, requested, "device: CPU ({} threads)", threadCount());
        }
        boolean strict = d.startsWith("cuda");
        if (spec.has(OutputKind.CONTACTS)) {
            if (strict) {
                throw new IllegalArgumentException("--include contacts is computed on the CPU only (the CUDA library has no contact head "
                        + "yet): use --device cpu or auto, or leave contacts out");
            }
            return cpu(esm, requested, "device: CPU ({} threads): --include contacts is computed on the CPU only", threadCount());
        }
        CudaDevices.Inventory inventory = CudaDevices.discover();
        if (!inventory.usable()) {
            if (strict) {
                throw new Esm2jException(ExitCode.DEVICE_FAILURE, "--device " + deviceChoice() + ": " + inventory.error() + CPU_HINT);
            }
            return cpu(esm, requested, "device: CPU ({} threads); no GPU: {}", threadCount(), inventory.error());
        }
        List<CudaDeviceInfo> chosen = select(d, inventory);
        List<String> failures = new ArrayList<>();
        List<EncoderDevice> opened = openGpus(esm, chosen, requested, failures);
        if (opened.isEmpty()) {
            String why = String.join("; ", failures);
            if (strict) {
                throw new Esm2jException(ExitCode.DEVICE_FAILURE, "--device " + deviceChoice() + ": no GPU could take the model: " + why + CPU_HINT);
            }
            return cpu(esm, requested, "device: CPU ({} threads); the GPUs could not take the model: {}", threadCount(), why);
        }
        for (String f : failures) {
            LOG.warn("{}; going on without it", f);
        }
        StringBuilder sb = new StringBuilder();
        for (EncoderDevice e : opened) {
            sb.append(sb.isEmpty() ? "" : "; ").append(e.id()).append(" (").append(e.description()).append(')');
        }
        LOG.info("device{}: {}{}", opened.size() == 1 ? "" : "s", sb,
                inventory.visibleDevices() != null ? " [CUDA_VISIBLE_DEVICES=" + inventory.visibleDevices() + "]" : "");
        return opened;
    }

    private List<EncoderDevice> cpu(EsmModel esm, ComputeDtype requested, String message, Object... args) {
        LOG.info(message, args);
        if (requested != null && requested != ComputeDtype.FP32) {
            LOG.warn("--dtype {} applies to GPUs; the CPU computes in fp32", requested.cliName());
        }
        return List.of(new CpuDevice(esm.weights(), threadCount()));
    }

    /** {@code cuda} = every visible GPU; {@code cuda:0,2} = those (numbered after CUDA_VISIBLE_DEVICES). */
    static List<CudaDeviceInfo> select(String choice, CudaDevices.Inventory inventory) {
        List<CudaDeviceInfo> all = inventory.devices();
        if (!choice.contains(":")) {
            return all;
        }
        Set<Integer> wanted = new LinkedHashSet<>();
        for (String s : choice.substring(choice.indexOf(':') + 1).split(",")) {
            wanted.add(Integer.parseInt(s));
        }
        List<CudaDeviceInfo> out = new ArrayList<>();
        for (int i : wanted) {
            if (i >= all.size()) {
                throw new Esm2jException(ExitCode.DEVICE_FAILURE, "--device " + choice + ": there is no cuda:" + i + "; "
                        + all.size() + " GPU" + (all.size() == 1 ? " is" : "s are") + " visible (cuda:0" + (all.size() > 1 ? "..cuda:" + (all.size() - 1) : "")
                        + (inventory.visibleDevices() != null ? ", after CUDA_VISIBLE_DEVICES=" + inventory.visibleDevices() : "")
                        + "); see esm2j devices");
            }
            out.add(all.get(i));
        }
        return out;
    }

    /** Uploads the weights to every chosen GPU at once, one platform thread each. */
    private List<EncoderDevice> openGpus(EsmModel esm, List<CudaDeviceInfo> chosen, ComputeDtype requested, List<String> failures) {
        for (CudaDeviceInfo info : chosen) {
            ComputeDtype.choose(requested, info); // fails early on --dtype bf16 before sm80
        }
        CudaDevice[] opened = new CudaDevice[chosen.size()];
        String[] errors = new String[chosen.size()];
        Thread[] threads = new Thread[chosen.size()];
        for (int i = 0; i < chosen.size(); i++) {
            int k = i;
            CudaDeviceInfo info = chosen.get(i);
            threads[i] = Thread.ofPlatform().name("esm2j-open-" + info.id()).start(() -> {
                try {
                    opened[k] = CudaDevice.open(info, esm.weights(), ComputeDtype.choose(requested, info), maxBatchSequences);
                } catch (RuntimeException e) {
                    errors[k] = e.getMessage() != null && e.getMessage().startsWith(info.id()) ? e.getMessage() : info.id() + ": " + e.getMessage();
                }
            });
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Arrays.stream(opened).filter(x -> x != null).forEach(CudaDevice::close);
                throw new Esm2jException(ExitCode.INTERRUPTED, "interrupted while loading the model on the GPUs");
            }
        }
        List<EncoderDevice> out = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            if (opened[i] != null) {
                out.add(opened[i]);
            } else {
                failures.add(errors[i]);
            }
        }
        return out;
    }
}
