package org.esm2j.schedule;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;
import org.esm2j.device.DeviceFailureException;
import org.esm2j.device.DeviceOutOfMemoryException;
import org.esm2j.device.EncoderDevice;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.device.cuda.ComputeDtype;
import org.esm2j.device.cuda.CudaDevice;
import org.esm2j.device.cuda.CudaDeviceInfo;
import org.esm2j.device.cuda.CudaDevices;
import org.esm2j.device.cuda.NativeLibrary;
import org.esm2j.model.EsmModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Which devices a run uses, shared by the command line and the library API: {@code auto} (every visible GPU,
 * else the CPU with the reason logged), {@code cpu}, {@code cuda} (every visible GPU, or fail with exit code 6),
 * or {@code cuda:0,2}.
 *
 * @param choice            auto, cpu, cuda or cuda:N[,M...]
 * @param dtype             GPU arithmetic, or null for the card's best (bf16 on sm80+, fp16 below)
 * @param threads           CPU threads
 * @param maxBatchSequences cap on sequences per batch (sizes the GPU workspaces)
 * @param selfCheck         check each GPU against the CPU encoder before it gets work ({@link DeviceProbe})
 */
public record DeviceSelection(String choice, ComputeDtype dtype, int threads, int maxBatchSequences, boolean selfCheck) {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSelection.class);
    private static final String CPU_HINT = " ({device} cpu runs on the CPU; {device} auto falls back to it)";

    public DeviceSelection(String choice, ComputeDtype dtype, int threads, int maxBatchSequences) {
        this(choice, dtype, threads, maxBatchSequences, true);
    }

    public DeviceSelection {
        String d = choice.toLowerCase(Locale.ROOT);
        if (!d.equals("auto") && !d.equals("cpu") && !d.matches("cuda(:\\d+(,\\d+)*)?")) {
            throw new InvalidParameterException(Parameter.DEVICE, "{device} " + choice + ": expected auto, cpu, cuda or cuda:N[,M...]");
        }
        if (threads < 1) {
            throw new InvalidParameterException(Parameter.THREADS, "{threads} must be >= 1, got " + threads);
        }
        if (maxBatchSequences < 1) {
            throw new InvalidParameterException(Parameter.MAX_BATCH_SEQUENCES, "{maxBatchSequences} must be >= 1, got " + maxBatchSequences);
        }
    }

    /** The devices, ready to take batches, behind one scheduler; {@code toksPerBatch} 0 = sized automatically. */
    public BatchExecutor openScheduler(EsmModel esm, OutputSpec spec, long toksPerBatch, RunStats stats, RunListener listener) {
        return schedule(esm, openDevices(esm, spec, stats.timeline()), toksPerBatch, stats, listener);
    }

    /**
     * Puts opened devices behind one scheduler (batch sizes cached per checkpoint for the GPUs). GPUs are put behind a
     * {@link LongSequenceRouter}: a sequence longer than any of them holds goes to the CPU with {@code auto}, and is refused
     * with its length and the longest that fits otherwise.
     */
    public BatchExecutor schedule(EsmModel esm, List<EncoderDevice> devices, long toksPerBatch, RunStats stats, RunListener listener) {
        if (devices.getFirst() instanceof CpuDevice) {
            return new DeviceScheduler(devices,
                    DeviceScheduler.Options.defaults(toksPerBatch, maxBatchSequences, SizingCache.atDefaultLocation(), "cpu"), stats, listener);
        }
        DeviceScheduler gpus = new DeviceScheduler(devices,
                DeviceScheduler.Options.defaults(toksPerBatch, maxBatchSequences, SizingCache.atDefaultLocation(), esm.fingerprint()),
                stats, listener);
        boolean auto = choice.toLowerCase(Locale.ROOT).equals("auto");
        return new LongSequenceRouter(gpus, !auto ? null : () -> {
            LOG.info("device: CPU ({} threads) for the sequences too long for the GPUs", threads);
            return new DeviceScheduler(List.of(new CpuDevice(esm.weights(), threads)),
                    DeviceScheduler.Options.defaults(0, maxBatchSequences, null, "cpu"), stats, listener);
        });
    }

    /** Opens the devices (uploading the weights to each GPU); the caller closes them. */
    public List<EncoderDevice> openDevices(EsmModel esm, OutputSpec spec) {
        return openDevices(esm, spec, StartupTimeline.startingNow());
    }

    /** Opens the devices, recording on {@code timeline} how long each step took; the caller closes them. */
    public List<EncoderDevice> openDevices(EsmModel esm, OutputSpec spec, StartupTimeline timeline) {
        return timeline.time(StartupTimeline.DEVICES_OPEN, () -> open(esm, spec, timeline));
    }

    private List<EncoderDevice> open(EsmModel esm, OutputSpec spec, StartupTimeline timeline) {
        String d = choice.toLowerCase(Locale.ROOT);
        ComputeDtype requested = dtype;
        if (d.equals("cpu")) {
            return cpu(esm, requested, timeline, "device: CPU ({} threads)", threads);
        }
        boolean strict = d.startsWith("cuda");
        if (spec.has(OutputKind.CONTACTS)) {
            if (strict) {
                throw new InvalidParameterException(Parameter.KINDS, "{kinds} contacts is computed on the CPU only (the CUDA library has no contact head "
                        + "yet): use {device} cpu or auto, or leave contacts out");
            }
            return cpu(esm, requested, timeline, "device: CPU ({} threads): --include contacts is computed on the CPU only", threads);
        }
        CudaDevices.Inventory inventory = timeline.time(StartupTimeline.DEVICE_DISCOVERY, CudaDevices::discover);
        if (!inventory.usable()) {
            if (strict) {
                throw new Esm2jException(ExitCode.DEVICE_FAILURE, "{device} " + choice + ": " + inventory.error() + CPU_HINT);
            }
            switch (fallbackNotice(inventory, CudaDevices.gpuHardwarePresent())) {
                case QUIET -> {
                    LOG.debug("no GPU: {}", inventory.error());
                    return cpu(esm, requested, timeline, "device: CPU ({} threads)", threads);
                }
                case BUILD_THE_LIBRARY -> {
                    LOG.warn("{}; running on the CPU meanwhile", inventory.error());
                    return cpu(esm, requested, timeline, "device: CPU ({} threads)", threads);
                }
                default -> {
                    return cpu(esm, requested, timeline, "device: CPU ({} threads); no GPU: {}", threads, inventory.error());
                }
            }
        }
        List<CudaDeviceInfo> chosen = select(d, inventory);
        List<String> failures = new ArrayList<>();
        List<EncoderDevice> opened = openGpus(esm, chosen, requested, failures, timeline);
        if (opened.isEmpty()) {
            String why = String.join("; ", failures);
            if (strict) {
                throw new Esm2jException(ExitCode.DEVICE_FAILURE, "{device} " + choice + ": no GPU could take the model: " + why + CPU_HINT);
            }
            return cpu(esm, requested, timeline, "device: CPU ({} threads); the GPUs could not take the model: {}", threads, why);
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

    /**
     * The arithmetic {@link #openDevices} would give the scheduler (see {@link BatchExecutor#arithmetic()}), found
     * without loading anything onto a device: for {@code --dry-run}. A GPU that then fails to take the model can
     * still make the real run differ.
     */
    public String plannedArithmetic(OutputSpec spec) {
        String d = choice.toLowerCase(Locale.ROOT);
        if (d.equals("cpu") || (spec.has(OutputKind.CONTACTS) && !d.startsWith("cuda"))) {
            return "fp32";
        }
        CudaDevices.Inventory inventory = CudaDevices.discover();
        if (!inventory.usable()) {
            return "fp32"; // auto falls back to the CPU; cuda fails when it opens
        }
        return BatchExecutor.arithmeticOf(select(d, inventory).stream().map(info -> ComputeDtype.choose(dtype, info).cliName()));
    }

    /** How {@code --device auto} tells that it runs on the CPU. */
    enum FallbackNotice {
        /** No GPU on this machine and no library asked for: the missing library is no news (debug level only). */
        QUIET,
        /** A GPU is here but the library is not built: a warning naming the command that builds it. */
        BUILD_THE_LIBRARY,
        /** The library loaded (or a path given for it failed) and there is no usable GPU: the reason, at info. */
        REASON
    }

    static FallbackNotice fallbackNotice(CudaDevices.Inventory inventory, boolean gpuHardware) {
        NativeLibrary.Status library = inventory.library();
        if (library.loaded() || library.path() != null) {
            return FallbackNotice.REASON;
        }
        return gpuHardware ? FallbackNotice.BUILD_THE_LIBRARY : FallbackNotice.QUIET;
    }

    private List<EncoderDevice> cpu(EsmModel esm, ComputeDtype requested, StartupTimeline timeline, String message, Object... args) {
        LOG.info(message, args);
        if (requested != null && requested != ComputeDtype.FP32) {
            LOG.warn("--dtype {} applies to GPUs; the CPU computes in fp32", requested.cliName());
        }
        return List.of(timeline.time("cpu " + StartupTimeline.WEIGHTS, () -> new CpuDevice(esm.weights(), threads)));
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
                throw new Esm2jException(ExitCode.DEVICE_FAILURE, "{device} " + choice + ": there is no cuda:" + i + "; "
                        + all.size() + " GPU" + (all.size() == 1 ? " is" : "s are") + " visible (cuda:0" + (all.size() > 1 ? "..cuda:" + (all.size() - 1) : "")
                        + (inventory.visibleDevices() != null ? ", after CUDA_VISIBLE_DEVICES=" + inventory.visibleDevices() : "")
                        + "); see esm2j devices");
            }
            out.add(all.get(i));
        }
        return out;
    }

    /**
     * Uploads the weights to every chosen GPU at once, one platform thread each. With the self-check ({@link DeviceProbe})
     * each GPU first loads the check's shortened model (two layers, the final LayerNorm and the LM head), runs the probes
     * and frees it, then takes the whole model; meanwhile this thread computes the CPU's answers, once for all GPUs. Each
     * GPU's results are compared with them once both are there, and a GPU that disagrees is closed before it gets any
     * work. So the check costs the probes' run on the GPU, not the CPU's answers (they overlap the upload), and needs no
     * memory beside the model's; a GPU that cannot even run the probes is left out before its upload.
     */
    private List<EncoderDevice> openGpus(EsmModel esm, List<CudaDeviceInfo> chosen, ComputeDtype requested, List<String> failures,
                                         StartupTimeline timeline) {
        for (CudaDeviceInfo info : chosen) {
            ComputeDtype.choose(requested, info); // fails early on --dtype bf16 before sm80
        }
        CudaDevice[] opened = new CudaDevice[chosen.size()];
        String[] errors = new String[chosen.size()];
        Thread[] threads = new Thread[chosen.size()];
        CompletableFuture<DeviceProbe.Expected> cpuAnswers = new CompletableFuture<>();
        DeviceProbe.Probes probes = selfCheck ? DeviceProbe.probes(esm.weights()) : null;
        for (int i = 0; i < chosen.size(); i++) {
            int k = i;
            CudaDeviceInfo info = chosen.get(i);
            threads[i] = Thread.ofPlatform().name("esm2j-open-" + info.id()).start(() -> {
                try {
                    ComputeDtype dtype = ComputeDtype.choose(requested, info);
                    List<SequenceEmbedding> probeResults = null;
                    if (selfCheck) {
                        long t0 = timeline.now();
                        try {
                            probeResults = runProbes(info, dtype, probes);
                        } catch (DeviceOutOfMemoryException | DeviceFailureException e) {
                            errors[k] = info.id() + ": the start-up check against the CPU could not run: " + e.getMessage();
                            return;
                        } finally {
                            timeline.end(info.id() + " " + StartupTimeline.SELF_CHECK + " (probes on the GPU)", t0);
                        }
                    }
                    long t1 = timeline.now();
                    opened[k] = CudaDevice.open(info, esm.weights(), dtype, maxBatchSequences);
                    timeline.end(info.id() + " " + StartupTimeline.WEIGHTS, t1);
                    if (selfCheck) {
                        long t2 = timeline.now();
                        DeviceProbe.Expected expected = cpuAnswers.join();
                        timeline.end(info.id() + " " + StartupTimeline.SELF_CHECK + " (waiting for the CPU's answers)", t2);
                        String refusal = verdict(info, dtype, DeviceProbe.compare(probeResults, expected, dtype));
                        if (refusal != null) {
                            errors[k] = refusal;
                            CudaDevice refused = opened[k];
                            opened[k] = null;
                            refused.close();
                        }
                    }
                } catch (RuntimeException e) {
                    String message = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                    errors[k] = message != null && message.startsWith(info.id()) ? message : info.id() + ": " + message;
                    if (opened[k] != null) {
                        CudaDevice failed = opened[k];
                        opened[k] = null;
                        try {
                            failed.close();
                        } catch (RuntimeException closing) {
                            e.addSuppressed(closing);
                        }
                    }
                }
            });
        }
        RuntimeException cpuFailure = null;
        if (selfCheck) {
            long t0 = timeline.now();
            try {
                cpuAnswers.complete(DeviceProbe.expected(esm.weights(), threads()));
            } catch (RuntimeException e) {
                cpuFailure = e;
                cpuAnswers.completeExceptionally(e);
            } finally {
                cpuAnswers.completeExceptionally(new IllegalStateException("the CPU's answers to the probes were not computed"));
                timeline.end(StartupTimeline.SELF_CHECK_CPU, t0);
            }
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
        if (cpuFailure != null) {
            Arrays.stream(opened).filter(x -> x != null).forEach(CudaDevice::close); // each GPU failed its join; none is left open
            throw cpuFailure;
        }
        List<EncoderDevice> out = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            if (opened[i] == null) {
                failures.add(errors[i]);
            } else {
                out.add(opened[i]);
            }
        }
        return out;
    }

    /** The probes on one GPU, through the shortened model, loaded for them and freed after. */
    private List<SequenceEmbedding> runProbes(CudaDeviceInfo info, ComputeDtype dtype, DeviceProbe.Probes probes) {
        try (CudaDevice probe = CudaDevice.open(info, probes.model(), dtype, maxBatchSequences)) {
            probe.setTokenBudget(probes.tokens()); // a workspace for the probes, not for a run's batches
            return probe.encode(probes.sequences(), probes.spec());
        }
    }

    /** Logs the check's outcome; null when the GPU agrees with the CPU, else the reason to leave it out. */
    private static String verdict(CudaDeviceInfo info, ComputeDtype dtype, DeviceProbe.Result r) {
        if (r.passed()) {
            LOG.info("{}: agrees with the CPU encoder ({})", info.id(), r.describe());
            return null;
        }
        return info.id() + " (" + dtype.cliName() + ") disagrees with the CPU encoder: " + r.describe()
                + ". Its results would be wrong, so it is not used; please report this with 'esm2j devices --json' and the log"
                + " (--no-self-check skips this check)";
    }
}
