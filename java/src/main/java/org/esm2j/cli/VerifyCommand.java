package org.esm2j.cli;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.device.EncoderDevice;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.device.cpu.CpuEncoder;
import org.esm2j.input.DuplicateIds;
import org.esm2j.model.EsmModel;
import org.esm2j.pipeline.Verification;
import org.esm2j.pipeline.VerificationReport;
import org.esm2j.pipeline.VerificationSample;
import org.esm2j.schedule.BatchExecutor;
import org.esm2j.schedule.DeviceSelection;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import org.esm2j.tokens.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code esm2j verify}: how far the chosen device's results are from the exact CPU encoder's, on the user's own data. */
@Command(name = "verify",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        description = {
                "Measure the chosen device's precision on your own data: a seeded sample of the",
                "input (the longest sequences always included) is embedded on the device and",
                "dtype as 'embed' would run it, and on the exact CPU encoder (fp32). Per output",
                "and layer, the table gives the median, 99th percentile and worst (with its id)",
                "of the relative L2 error, and of the cosine similarity.",
                "",
                "Takes embed's model, input and device options. Before the CPU side starts it",
                "logs how long that will take; --max-cpu-seconds caps it. The table goes to",
                "stdout (--json for JSON), logs to stderr.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  The GPU in bf16 against the CPU, for the outputs a pipeline writes:",
                "    esm2j verify -m facebook/esm2_t33_650M_UR50D -i proteins.fasta \\",
                "        --device cuda --dtype bf16 --include mean per_tok --repr-layers -1",
                "  A gate for pipelines (exit 8 above the bound), CPU side at most 10 minutes:",
                "    esm2j verify -m esm2_t36_3B_UR50D -i orfs.fa.gz --max-relative-error 0.02 \\",
                "        --max-cpu-seconds 600 --json > verify.json"})
public final class VerifyCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Spec
    CommandSpec commandSpec;

    @Mixin
    LoggingMixin logging;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", required = true,
            description = "Model directory, hub name or fair-esm name, as for embed.")
    String model;

    @Option(names = {"-i", "--input"}, paramLabel = "FASTA", required = true,
            description = "FASTA file (.gz accepted), or - for standard input.")
    String input;

    @Option(names = "--include", arity = "1..*", paramLabel = "KIND", split = ",", defaultValue = "mean",
            description = "What to compare: mean per_tok bos logits contacts (default: mean, as embed).")
    List<String> include;

    @Option(names = {"--repr-layers", "--repr_layers"}, arity = "1..*", paramLabel = "L", split = ",", defaultValue = "-1",
            description = "Representation layers of mean/per_tok/bos (default: -1, the last), as embed.")
    List<Integer> reprLayers;

    @Option(names = {"--truncation-seq-length", "--truncation_seq_length"}, paramLabel = "N",
            defaultValue = "" + Tokenizer.DEFAULT_TRUNCATION,
            description = "Keep at most N residues of each sequence (default ${DEFAULT-VALUE}); 0 = no limit.")
    int truncation;

    @Option(names = "--duplicate-ids", paramLabel = "POLICY", defaultValue = "error",
            description = "When an id repeats: error (default), rename or skip, as embed.")
    DuplicateIds duplicateIds;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "" + Verification.DEFAULT_SAMPLE_SIZE,
            description = "Sequences to draw (default ${DEFAULT-VALUE}); the longest eighth of them are the input's longest.")
    int sampleSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the draw (default ${DEFAULT-VALUE}): the same input and seed give the same sample.")
    long seed;

    @Option(names = "--max-cpu-seconds", paramLabel = "S", defaultValue = "0",
            description = "Cap on the CPU side's time (default 0: none); fewer sequences are verified, and the report says so.")
    double maxCpuSeconds;

    @Option(names = "--max-relative-error", paramLabel = "X",
            description = "Exit with code 8 when an output's worst relative L2 error is above X.")
    Double maxRelativeError;

    @Option(names = "--min-cosine", paramLabel = "C",
            description = "Exit with code 8 when an output's worst cosine similarity is below C.")
    Double minCosine;

    @Option(names = "--json", description = "The report as JSON on stdout (per-sequence values included) instead of the table.")
    boolean json;

    @Mixin
    DeviceOptions devices;

    /** Opens the devices under test; tests put in one whose errors they know. */
    interface DeviceSide {
        Opened open(DeviceOptions devices, EsmModel esm, OutputSpec spec);
    }

    /**
     * The devices under test behind one executor, and what the report calls them; {@code cpuEncoder}: the device's
     * CPU encoder when the device under test is the CPU (the reference then reuses it), else null.
     */
    record Opened(BatchExecutor executor, Verification.DeviceUnderTest device, CpuEncoder cpuEncoder) {
    }

    DeviceSide deviceSide = VerifyCommand::openDevices;

    @Override
    public Integer call() {
        logging.apply();
        EnumSet<OutputKind> kinds = EnumSet.noneOf(OutputKind.class);
        for (String s : include) {
            kinds.add(OutputKind.parse(s.strip()));
        }
        devices.validate();
        try (EsmModel esm = EsmModel.load(model)) {
            OutputSpec spec = OutputSpec.of(kinds, reprLayers, esm.config().numLayers());
            Verification verification = new Verification(new Verification.Options(input, spec, truncation, duplicateIds, sampleSize, seed,
                    maxCpuSeconds, maxRelativeError == null ? Double.NaN : maxRelativeError, minCosine == null ? Double.NaN : minCosine,
                    devices.threadCount(), devices.maxBatchSequences()), esm.weights(), esm.name());
            VerificationSample sample = verification.drawSample();
            Opened opened = deviceSide.open(devices, esm, spec);
            VerificationReport report = verification.run(sample, opened.executor(), opened.device(), opened.cpuEncoder());
            PrintWriter out = commandSpec.commandLine().getOut();
            if (json) {
                out.println(JSON.writeValueAsString(report.toMap(Flags::of)));
            } else {
                report.table(Flags::of).forEach(out::println);
            }
            out.flush();
            List<String> failures = report.failures();
            if (!failures.isEmpty()) {
                throw new Esm2jException(ExitCode.VERIFY_FAILED, failures.size() == 1 ? failures.getFirst()
                        : failures.size() + " outputs failed the gate: " + String.join("; ", failures));
            }
        }
        return 0;
    }

    /** The devices {@code --device} and {@code --dtype} choose, as embed opens them. */
    private static Opened openDevices(DeviceOptions devices, EsmModel esm, OutputSpec spec) {
        DeviceSelection selection = devices.selection();
        List<EncoderDevice> opened = selection.openDevices(esm, spec);
        BatchExecutor executor;
        try {
            executor = selection.schedule(esm, opened, devices.toksPerBatch, new RunStats(), RunListener.NONE);
        } catch (RuntimeException e) {
            opened.forEach(EncoderDevice::close);
            throw e;
        }
        String description = opened.stream().map(d -> d.id() + " (" + d.description() + ")").collect(Collectors.joining("; "));
        boolean cpu = opened.stream().allMatch(d -> d instanceof CpuDevice);
        CpuEncoder encoder = opened.size() == 1 && opened.getFirst() instanceof CpuDevice c ? c.encoder() : null;
        return new Opened(executor, new Verification.DeviceUnderTest(description, executor.arithmetic(), cpu), encoder);
    }
}
