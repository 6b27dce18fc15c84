package org.esm2j.api;

import org.esm2j.Esm2jException;
import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;
import org.esm2j.device.EncoderDevice;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.device.cuda.ComputeDtype;
import org.esm2j.input.IdRegistry;
import org.esm2j.model.EsmConfig;
import org.esm2j.model.EsmModel;
import org.esm2j.pipeline.EmbedOptions;
import org.esm2j.pipeline.WindowedProteins;
import org.esm2j.schedule.BatchExecutor;
import org.esm2j.schedule.DeviceSelection;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import org.esm2j.tokens.LongSequences;
import org.esm2j.tokens.SequenceWindows;
import org.esm2j.tokens.TokenizedSequence;
import org.esm2j.tokens.Tokenizer;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * esm2j as a library: load a model once, embed sequences in-process.
 *
 * <pre>{@code
 * try (Esm2j esm = Esm2j.builder().model("facebook/esm2_t33_650M_UR50D").build()) {
 *     float[] v = esm.embed("MKTAYIAKQRQISFVKSHFSRQ");             // mean of the last layer
 *     Map<String, float[]> many = esm.meanEmbeddings(Map.of("a", "MKT", "b", "MLS"));
 *     esm.embed(proteinIterator, esm.spec(Set.of(OutputKind.MEAN, OutputKind.PER_TOK), List.of(-1)), result -> ...);
 * }
 * }</pre>
 *
 * Devices are chosen as on the command line ({@code auto}: every visible GPU, else the CPU).
 * An instance is thread-safe; calls from several threads are serialised.
 * Results equal the command line's for the same model and options.
 */
public final class Esm2j implements AutoCloseable {
    private final EsmModel model;
    private final BatchExecutor executor;
    private final Tokenizer tokenizer;
    /** How long proteins are cut; null unless {@link LongSequences#WINDOW}. */
    private final SequenceWindows windows;
    private final int maxBatchSequences;
    private final OutputSpec defaultSpec;
    private final RunStats stats = new RunStats();
    private final boolean onCpu;

    private Esm2j(Builder b) {
        if (b.model == null) {
            throw new InvalidParameterException(Parameter.MODEL, "is required: Esm2j.builder().model(...)");
        }
        EmbedOptions.check(b.longSequences, b.truncation, b.windowStride);
        this.model = EsmModel.load(b.model);
        try {
            this.tokenizer = new Tokenizer(b.longSequences.tokenizerLimit(b.truncation));
            this.windows = b.longSequences == LongSequences.WINDOW ? EmbedOptions.windowsFor(b.truncation, b.windowStride) : null;
            this.maxBatchSequences = b.maxBatchSequences;
            DeviceSelection selection = new DeviceSelection(b.device, ComputeDtype.parse(b.dtype), b.threads, b.maxBatchSequences, b.selfCheck);
            List<EncoderDevice> devices = selection.openDevices(model, new OutputSpec(EnumSet.of(OutputKind.MEAN), new int[0]));
            this.onCpu = devices.stream().allMatch(d -> d instanceof CpuDevice);
            this.executor = selection.schedule(model, devices, b.tokensPerBatch, stats, RunListener.NONE);
            this.defaultSpec = spec(EnumSet.of(OutputKind.MEAN), List.of(-1));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a session; every one has a sensible default except the model. */
    public static final class Builder {
        private String model;
        private String device = "auto";
        private String dtype = "auto";
        private int threads = Runtime.getRuntime().availableProcessors();
        private int truncation = Tokenizer.DEFAULT_TRUNCATION;
        private LongSequences longSequences = LongSequences.TRUNCATE;
        private int windowStride;
        private long tokensPerBatch;
        private int maxBatchSequences = 4096;
        private boolean selfCheck = true;

        /** A model directory, a hub name in the local cache, or a fair-esm name. */
        public Builder model(String spec) {
            this.model = spec;
            return this;
        }

        public Builder model(java.nio.file.Path directory) {
            this.model = directory.toString();
            return this;
        }

        /** {@code auto} (default), {@code cpu}, {@code cuda} or {@code cuda:0,1}. */
        public Builder device(String device) {
            this.device = device;
            return this;
        }

        /** GPU arithmetic: {@code auto} (default: bf16 on sm80+, fp16 below), {@code bf16}, {@code fp16}, {@code fp32}. */
        public Builder dtype(String dtype) {
            this.dtype = dtype;
            return this;
        }

        public Builder threads(int threads) {
            if (threads < 1) {
                throw new InvalidParameterException(Parameter.THREADS, "{threads} must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Max residues per sequence (default 1022, fair-esm's); 0 = no limit. */
        public Builder truncation(int residues) {
            if (residues < 0) {
                throw new InvalidParameterException(Parameter.TRUNCATION, "{truncation} must be >= 0 (0 = no limit), got " + residues);
            }
            this.truncation = residues;
            return this;
        }

        /**
         * What happens to a protein longer than {@link #truncation}: truncated (default), embedded as windows combined
         * per residue, or embedded whole; as the command line's {@code --long-sequences}.
         */
        public Builder longSequences(LongSequences policy) {
            this.longSequences = java.util.Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Residues between window starts with {@link LongSequences#WINDOW}; 0 (default) = half a window. */
        public Builder windowStride(int residues) {
            this.windowStride = residues;
            return this;
        }

        /**
         * Whether each GPU is first checked against the CPU encoder on a few probe sequences and refused when it
         * disagrees (default true; see the command line's --no-self-check).
         */
        public Builder selfCheck(boolean check) {
            this.selfCheck = check;
            return this;
        }

        /** Tokens per batch; 0 (default) = the device's choice. */
        public Builder tokensPerBatch(long tokens) {
            if (tokens < 0) {
                throw new InvalidParameterException(Parameter.TOKENS_PER_BATCH, "{tokensPerBatch} must be >= 0 (0 = automatic), got " + tokens);
            }
            this.tokensPerBatch = tokens;
            return this;
        }

        public Builder maxBatchSequences(int n) {
            if (n < 1) {
                throw new InvalidParameterException(Parameter.MAX_BATCH_SEQUENCES, "{maxBatchSequences} must be >= 1, got " + n);
            }
            this.maxBatchSequences = n;
            return this;
        }

        public Esm2j build() {
            return new Esm2j(this);
        }
    }

    public EsmConfig config() {
        return model.config();
    }

    public String modelName() {
        return model.name();
    }

    /** Outputs and layers with fair-esm's layer semantics (0 = embeddings, negative from the end). */
    public OutputSpec spec(Set<OutputKind> kinds, List<Integer> layers) {
        return OutputSpec.of(kinds, layers, model.config().numLayers());
    }

    /** The mean embedding (last layer, residues only) of one sequence. */
    public float[] embed(String sequence) {
        List<SequenceEmbedding> out = embed(List.of(new Protein("sequence", sequence)), defaultSpec);
        return out.getFirst().mean()[0];
    }

    /** Mean embeddings (last layer) keyed by id, in the map's iteration order. */
    public Map<String, float[]> meanEmbeddings(Map<String, String> sequences) {
        List<Protein> proteins = new ArrayList<>();
        sequences.forEach((id, seq) -> proteins.add(new Protein(id, seq)));
        Map<String, float[]> out = new LinkedHashMap<>();
        for (SequenceEmbedding e : embed(proteins, defaultSpec)) {
            out.put(e.id(), e.mean()[0]);
        }
        return out;
    }

    /** Embeds a list; results in the list's order. Ids must be unique; empty sequences are an error. */
    public List<SequenceEmbedding> embed(List<Protein> proteins, OutputSpec spec) {
        List<SequenceEmbedding> out = new ArrayList<>(proteins.size());
        embed(proteins.iterator(), spec, out::add);
        return out;
    }

    /**
     * Streams any number of proteins through the model with bounded memory: they are taken in chunks,
     * each chunk sorted and batched, and results handed to {@code sink} in input order.
     */
    public synchronized void embed(Iterator<Protein> proteins, OutputSpec spec, Consumer<SequenceEmbedding> sink) {
        if (spec.has(OutputKind.CONTACTS) && !onCpu) {
            throw new InvalidParameterException(Parameter.KINDS, "contacts are computed on the CPU only: build this session with {device} cpu");
        }
        IdRegistry seen = new IdRegistry();
        long index = 0;
        List<TokenizedSequence> chunk = new ArrayList<>();
        while (proteins.hasNext()) {
            Protein p = proteins.next();
            if (!seen.add(p.id())) {
                throw Esm2jException.badInput("duplicate protein id '" + p.id() + "'");
            }
            TokenizedSequence t = tokenizer.tokenize(index++, p.id(), p.sequence());
            if (t.residues() == 0) {
                throw Esm2jException.badInput("protein '" + p.id() + "' has no residues");
            }
            chunk.add(t);
            if (chunk.size() >= 4096) {
                run(chunk, spec, sink);
                chunk.clear();
            }
        }
        run(chunk, spec, sink);
    }

    private void run(List<TokenizedSequence> chunk, OutputSpec spec, Consumer<SequenceEmbedding> sink) {
        if (chunk.isEmpty()) {
            return;
        }
        (windows == null ? executor.executeWindow(chunk, spec, maxBatchSequences)
                : WindowedProteins.execute(executor, chunk, spec, windows, maxBatchSequences, stats)).forEach(sink);
    }

    @Override
    public void close() {
        try {
            executor.close();
        } finally {
            model.close();
        }
    }
}
