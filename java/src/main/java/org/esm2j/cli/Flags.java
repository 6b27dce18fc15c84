package org.esm2j.cli;

import org.esm2j.Parameter;

/** The one place where the library's parameter names become command-line flags. */
final class Flags {
    private Flags() {
    }

    /** The flag that sets {@code p} (the switch is exhaustive: a new parameter does not compile without its flag). */
    static String of(Parameter p) {
        return switch (p) {
            case MODEL -> "--model";
            case DEVICE -> "--device";
            case DTYPE -> "--dtype";
            case THREADS -> "--threads";
            case TRUNCATION -> "--truncation-seq-length";
            case LONG_SEQUENCES -> "--long-sequences";
            case WINDOW_STRIDE -> "--window-stride";
            case TOKENS_PER_BATCH -> "--toks-per-batch";
            case MAX_BATCH_SEQUENCES -> "--max-batch-sequences";
            case KINDS -> "--include";
            case LAYERS -> "--repr-layers";
            case SHARD -> "--shard";
            case PART_ROWS -> "--part-size";
            case PROGRESS -> "--progress";
            case SHARDS -> "SHARD...";
            case INPUT -> "--input";
            case DUPLICATES -> "--duplicate-ids";
            case INVALID_RECORDS -> "--invalid-records";
            case OUTPUT -> "--output";
            case FORMAT -> "--format";
            case OVERWRITE -> "--overwrite";
            case SAMPLE_SIZE -> "--sample";
            case MAX_CPU_SECONDS -> "--max-cpu-seconds";
            case MAX_RELATIVE_ERROR -> "--max-relative-error";
            case MIN_COSINE -> "--min-cosine";
        };
    }
}
