package org.esm2j;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters a user of esm2j chooses, by their library names (those of {@code api/Esm2j}'s builder and of
 * {@code pipeline/EmbedOptions}). Library messages name these; the command line translates each to its flag.
 */
public enum Parameter {
    MODEL("model"),
    DEVICE("device"),
    DTYPE("dtype"),
    THREADS("threads"),
    TRUNCATION("truncation"),
    /** What happens to a protein longer than the truncation length: truncate, window, full. */
    LONG_SEQUENCES("longSequences"),
    /** Residues between the starts of a long protein's windows. */
    WINDOW_STRIDE("windowStride"),
    TOKENS_PER_BATCH("tokensPerBatch"),
    MAX_BATCH_SEQUENCES("maxBatchSequences"),
    /** Which outputs: mean, per_tok, bos, logits, contacts. */
    KINDS("kinds"),
    /** Representation layers of the per-layer outputs. */
    LAYERS("layers"),
    SHARD("shard"),
    /** Rows per npy part file. */
    PART_ROWS("partRows"),
    /** The progress display. */
    PROGRESS("progress"),
    /** The shard directories that merge joins. */
    SHARDS("shards"),
    /** The FASTA input. */
    INPUT("input"),
    /** What to do with a repeated id: error, rename, skip. */
    DUPLICATES("duplicates"),
    /** What to do with a record holding characters that are not residue letters: skip, unk, error. */
    INVALID_RECORDS("invalidRecords"),
    /** The output directory or file. */
    OUTPUT("output"),
    /** npy or safetensors. */
    FORMAT("format"),
    /** Replace an existing output instead of refusing or resuming it. */
    OVERWRITE("overwrite"),
    /** verify: sequences to draw from the input. */
    SAMPLE_SIZE("sampleSize"),
    /** verify: cap on the CPU reference's time. */
    MAX_CPU_SECONDS("maxCpuSeconds"),
    /** verify: the gate on the worst relative L2 error. */
    MAX_RELATIVE_ERROR("maxRelativeError"),
    /** verify: the gate on the worst cosine similarity. */
    MIN_COSINE("minCosine");

    private static final Pattern MENTION = Pattern.compile("\\{([A-Za-z]+)}");

    private final String libraryName;

    Parameter(String libraryName) {
        this.libraryName = libraryName;
    }

    public String libraryName() {
        return libraryName;
    }

    /**
     * {@code text} with each parameter written {@code {name}} (its library name) replaced by {@code name.apply(it)}:
     * the library's messages use {@link #libraryName}, the command line the flag. Other braces stay as they are.
     */
    public static String render(String text, Function<Parameter, String> name) {
        Matcher m = MENTION.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Parameter p = byLibraryName(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(p == null ? m.group() : name.apply(p)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static Parameter byLibraryName(String name) {
        for (Parameter p : values()) {
            if (p.libraryName.equals(name)) {
                return p;
            }
        }
        return null;
    }
}
