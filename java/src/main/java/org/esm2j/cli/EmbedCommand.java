package org.esm2j.cli;

import org.esm2j.Units;
import org.esm2j.Esm2jException;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.input.DuplicateIds;
import org.esm2j.input.InputScan;
import org.esm2j.input.InvalidRecords;
import org.esm2j.model.EsmModel;
import org.esm2j.output.DatasetIdentity;
import org.esm2j.output.EmbeddingWriter;
import org.esm2j.output.ResumeState;
import org.esm2j.pipeline.EmbedOptions;
import org.esm2j.pipeline.EmbedRun;
import org.esm2j.pipeline.ShardSpec;
import org.esm2j.progress.ProgressDisplay;
import org.esm2j.progress.Summary;
import org.esm2j.schedule.StartupTimeline;
import org.esm2j.schedule.BatchExecutor;
import org.esm2j.schedule.RunStats;
import org.esm2j.tokens.LongSequences;
import org.esm2j.tokens.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** {@code esm2j embed}: embeddings of every sequence of a FASTA file. */
@Command(name = "embed",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        description = {
                "Embed every sequence of a FASTA file with an ESM-2 model.",
                "",
                "Accepts fair-esm's esm-extract arguments too (positional MODEL FASTA OUTPUT,",
                "--repr_layers, --toks_per_batch, --truncation_seq_length, --nogpu); add",
                "--format pt for esm-extract's own files: one {label}.pt per sequence, which",
                "torch.load opens. Results go to files, logs to stderr.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  Mean embeddings of the last layer, as npy arrays:",
                "    esm2j embed -m facebook/esm2_t33_650M_UR50D -i proteins.fasta -o out/",
                "  Several layers, per-token and mean, into one safetensors file:",
                "    esm2j embed -m esm2_t33_650M_UR50D -i orfs.fa.gz -o emb.safetensors \\",
                "        --format safetensors --include mean per_tok --repr-layers 0 32 33",
                "  The esm-extract spelling, writing esm-extract's {label}.pt files:",
                "    esm2j embed esm2_t33_650M_UR50D proteins.fasta out/ \\",
                "        --repr_layers 0 32 33 --include mean per_tok --format pt",
                "  Shard 3 of 10 (0-based) of a large input, resumable; then join the shards:",
                "    esm2j embed -m facebook/esm2_t33_650M_UR50D -i orfs.fa.gz \\",
                "        -o out/shard-3 --shard 3/10",
                "    esm2j merge -o out/all out/shard-*",
                "  Rerunning an interrupted command resumes it; --dry-run shows the plan first.",
                "  The bundled example (random weights, for trying the tool):",
                "    esm2j embed -m examples/models/esm2-tiny-L2-E64-H4 \\",
                "        -i examples/proteins.fasta -o /tmp/tiny-out"})
public final class EmbedCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedCommand.class);

    @Mixin
    LoggingMixin logging;

    @Parameters(index = "0..*", arity = "0..3", paramLabel = "ARG", hidden = true,
            description = "esm-extract style positional MODEL FASTA OUTPUT.")
    List<String> positional = new ArrayList<>();

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "Model directory (config.json + model.safetensors), hub name (facebook/esm2_t33_650M_UR50D) "
                    + "or fair-esm name (esm2_t33_650M_UR50D) found in the local hub cache.")
    String model;

    @Option(names = {"-i", "--input"}, paramLabel = "FASTA", description = "FASTA file (.gz accepted), or - for standard input.")
    String input;

    @Option(names = "--include", arity = "1..*", paramLabel = "KIND", split = ",", defaultValue = "mean",
            description = "What to compute: mean per_tok bos logits contacts (default: mean).")
    List<String> include;

    @Option(names = {"--repr-layers", "--repr_layers"}, arity = "1..*", paramLabel = "L", split = ",", defaultValue = "-1",
            description = "Representation layers for mean/per_tok/bos: 0 = embeddings, negative counts from the end (default: -1, the last).")
    List<Integer> reprLayers;

    @Option(names = {"--truncation-seq-length", "--truncation_seq_length"}, paramLabel = "N",
            defaultValue = "" + Tokenizer.DEFAULT_TRUNCATION,
            description = "Keep at most N residues of each sequence (default ${DEFAULT-VALUE}, fair-esm's); 0 = no limit.")
    int truncation;

    @Option(names = "--long-sequences", paramLabel = "HOW", defaultValue = "truncate",
            description = {"A protein longer than --truncation-seq-length: truncate (default, fair-esm's), window (embedded as "
                    + "overlapping windows of that many residues, each residue averaged over the windows that hold it) or full "
                    + "(no truncation: attention over the whole protein; ESM-2 was trained on up to 1,022 residues)."})
    LongSequences longSequences;

    @Option(names = "--window-stride", paramLabel = "N", defaultValue = "0",
            description = "With --long-sequences window: residues between window starts, 1..--truncation-seq-length "
                    + "(default: half a window).")
    int windowStride;

    @Option(names = "--duplicate-ids", paramLabel = "POLICY", defaultValue = "error",
            description = "When an id repeats: error (default), rename (id#2, id#3…) or skip (keep the first).")
    DuplicateIds duplicateIds;

    @Option(names = "--invalid-records", paramLabel = "POLICY", defaultValue = "skip",
            description = "A record with characters that are not residue letters (digits, symbols) is reported with its id,"
                    + " line and characters, then: skip (default), unk (embedded with <unk> for them) or error.")
    InvalidRecords invalidRecords;

    @Mixin
    OutputOptions out;

    @Mixin
    DeviceOptions devices;

    @Mixin
    ProgressOptions progress;

    @Mixin
    HpcOptions hpc;

    @Override
    public Integer call() {
        logging.apply();
        resolvePositional();
        OutputSpec requested = parseKinds();
        if (truncation < 0) {
            throw new UsageException("--truncation-seq-length must be >= 0 (0 = no limit), got " + truncation);
        }
        EmbedOptions.check(longSequences, truncation, windowStride);
        devices.validate();
        progress.validate(logging);
        out.checkTarget();
        ShardSpec shard = hpc.shard(System.getenv());
        hpc.warnIfNotResumable(out.format(), shard);
        StartupTimeline timeline = StartupTimeline.sinceProcessStart();
        // The scan reads the whole input once: it runs beside the model's loading and upload, and its verdict (format
        // errors, duplicate ids) is taken before anything is written, and before any model or device error.
        CompletableFuture<InputScan> scan = input.equals("-") ? null : scanInBackground(timeline);
        try {
            return embed(requested, shard, timeline, scan);
        } catch (RuntimeException e) {
            InputScan.rethrowFailure(scan, e);
            throw e;
        }
    }

    private CompletableFuture<InputScan> scanInBackground(StartupTimeline timeline) {
        CompletableFuture<InputScan> f = new CompletableFuture<>();
        Thread.ofPlatform().name("esm2j-input-scan").daemon().start(() -> {
            try {
                f.complete(timeline.time(StartupTimeline.INPUT_SCAN, () -> InputScan.of(input, duplicateIds, invalidRecords,
                        out.format().recordKey(), out.format()::keyProblem)));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private Integer embed(OutputSpec requested, ShardSpec shard, StartupTimeline timeline, CompletableFuture<InputScan> pendingScan) {
        try (EsmModel esm = timeline.time(StartupTimeline.CHECKPOINT_OPEN, () -> EsmModel.load(model))) {
            OutputSpec spec = OutputSpec.of(requested.kinds(), reprLayers, esm.config().numLayers());
            checkHeads(esm, spec);
            LOG.info("model {}: {} layers, {} wide, {} heads, {} parameters", esm.name(), esm.config().numLayers(),
                    esm.config().hiddenSize(), esm.config().numHeads(), Units.parameters(esm.config().parameterCount()));
            EmbedOptions options = new EmbedOptions(input, spec, truncation, devices.maxBatchSequences(), duplicateIds,
                    EmbedOptions.defaultWindowBytes(), shard, out.format().recordKey(), invalidRecords, longSequences, windowStride);
            if (hpc.dryRun()) {
                InputScan.await(pendingScan);
                return hpc.printPlan(options, esm, identity(esm, spec, shard, devices.selection().plannedArithmetic(spec)), out, devices);
            }
            long pageInStart = timeline.now();
            esm.checkpoint().pageInBackground().thenRun(() -> timeline.end(StartupTimeline.CHECKPOINT_PAGE_IN, pageInStart));
            RunStats stats = new RunStats(timeline);
            try (ProgressDisplay display = progress.open(stats, logging);
                 BatchExecutor executor = devices.openExecutor(esm, spec, stats, display)) {
                InputScan scan = InputScan.await(pendingScan);
                if (scan != null) {
                    stats.expect(shard.share(scan.sequences()), scan.letters() / shard.count());
                    LOG.info("input {}: {}{}", input, Units.count(scan.records(), "record"),
                            scan.records() == scan.sequences() ? "" : ", " + Units.count(scan.sequences()) + " to embed");
                }
                // The arithmetic the devices actually use, not the --dtype asked for: "auto" is bf16 on one node and
                // fp32 on the CPU of another, and a requeued job must not mix the two in one dataset.
                DatasetIdentity identity = identity(esm, spec, shard, executor.arithmetic());
                ResumeState earlier = out.earlierRun(identity);
                if (earlier != null && earlier.status() == ResumeState.Status.COMPLETE) {
                    return nothingToDo();
                }
                EmbeddingWriter writer = out.open(spec, esm.config().hiddenSize(), describe(esm, identity), identity);
                if (writer.complete()) {
                    return nothingToDo(); // finished by another process since the check above
                }
                if (writer.resumedRows() > 0) {
                    LOG.info("resuming: {} sequences already written by an earlier run are skipped", writer.resumedRows());
                }
                try (InterruptGuard interrupts = InterruptGuard.install(writer)) {
                    new EmbedRun(options, esm.config().hiddenSize(), executor, writer, stats, display).run();
                } catch (RuntimeException e) {
                    writer.abort();
                    throw e;
                }
            }
            // After the display closed, so that the table is not drawn under a live region that is about to vanish.
            LOG.info(String.join("\n", Summary.lines(stats, stats.elapsed().toNanos())));
            LOG.info("wrote {}", out.output());
        }
        return 0;
    }

    private int nothingToDo() {
        LOG.info("{} already holds the finished output of this job (same model, options, shard and input): nothing to do", out.output());
        return 0;
    }

    private static void checkHeads(EsmModel esm, OutputSpec spec) {
        if (spec.has(OutputKind.LOGITS) && !esm.weights().hasLmHead()) {
            throw Esm2jException.badModel(esm.directory() + ": this checkpoint has no LM head (lm_head.*), so --include logits is impossible");
        }
        if (spec.has(OutputKind.CONTACTS) && !esm.weights().hasContactHead()) {
            throw Esm2jException.badModel(esm.directory() + ": this checkpoint has no contact head, so --include contacts is impossible");
        }
    }

    private void resolvePositional() {
        if (!positional.isEmpty()) {
            if (model == null) {
                model = positional.get(0);
            } else {
                throw new UsageException("model given twice (positional '" + positional.get(0) + "' and --model)");
            }
            if (positional.size() > 1) {
                if (input != null) {
                    throw new UsageException("input given twice (positional and --input)");
                }
                input = positional.get(1);
            }
            if (positional.size() > 2) {
                if (out.output != null) {
                    throw new UsageException("output given twice (positional and --output)");
                }
                out.setOutput(positional.get(2));
            }
        }
        List<String> missing = new ArrayList<>();
        if (model == null) {
            missing.add("--model");
        }
        if (input == null) {
            missing.add("--input");
        }
        if (out.output == null) {
            missing.add("--output");
        }
        if (!missing.isEmpty()) {
            List<String> swallowed = include.stream().filter(s -> !isKind(s)).toList();
            if (!swallowed.isEmpty()) {
                // "--include mean M F out": the option takes several values, so it took the positionals too.
                throw new UsageException("missing " + String.join(", ", missing) + ": --include took '" + String.join(" ", swallowed)
                        + "' as outputs (it takes several values); put --include after the positional MODEL FASTA OUTPUT,"
                        + " or end its list with --");
            }
            throw new UsageException("missing " + String.join(", ", missing) + " (see esm2j embed --help)");
        }
    }

    private static boolean isKind(String s) {
        try {
            OutputKind.parse(s.strip());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private OutputSpec parseKinds() {
        EnumSet<OutputKind> kinds = EnumSet.noneOf(OutputKind.class);
        for (String s : include) {
            kinds.add(OutputKind.parse(s.strip()));
        }
        return new OutputSpec(kinds, new int[0]);
    }

    /** What decides the results: the manifest records it, and a resumed or merged run must match it. */
    private DatasetIdentity identity(EsmModel esm, OutputSpec spec, ShardSpec shard, String arithmetic) {
        DatasetIdentity identity = DatasetIdentity.of(esm.fingerprint(), esm.name(), spec, truncation, out.dtype(), duplicateIds, invalidRecords,
                arithmetic, shard.index(), shard.count(), input);
        return switch (longSequences) {
            case TRUNCATE -> identity; // as before the option existed: earlier datasets still resume
            case WINDOW -> identity.withOption("long_sequences", longSequences.cliName())
                    .withOption("window_stride", EmbedOptions.windowsFor(truncation, windowStride).stride());
            case FULL -> identity.withOption("long_sequences", longSequences.cliName());
        };
    }

    private Map<String, Object> describe(EsmModel esm, DatasetIdentity identity) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("esm2j_version", VersionProvider.version());
        m.put("created", Instant.now().toString());
        Map<String, Object> modelInfo = new LinkedHashMap<>();
        modelInfo.put("name", esm.name());
        modelInfo.put("directory", esm.directory().toAbsolutePath().toString());
        modelInfo.put("fingerprint", identity.modelFingerprint());
        modelInfo.put("num_layers", esm.config().numLayers());
        modelInfo.put("hidden_size", esm.config().hiddenSize());
        modelInfo.put("num_heads", esm.config().numHeads());
        m.put("model", modelInfo);
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("input", input);
        opts.putAll(identity.options());
        opts.put("device", devices.deviceChoice());
        opts.put("shard", identity.shardIndex() + "/" + identity.shardCount());
        m.put("options", opts);
        return m;
    }
}
