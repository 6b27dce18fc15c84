package org.esm2j.output;

import org.esm2j.device.OutputSpec;
import org.esm2j.input.RecordKey;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The output formats of {@code esm2j embed}. */
public enum OutputFormat {
    /** A directory of streamed .npy arrays: for millions of sequences (default). */
    NPY,
    /** One safetensors file keyed by sequence id: for small sets and for exchange. */
    SAFETENSORS,
    /** fair-esm's esm-extract output: one {@code {label}.pt} per sequence, keyed by the whole header ({@link TorchPtWriter}). */
    PT;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Fails early (before any model work) when the output path cannot be used. */
    public void checkTarget(Path output, boolean overwrite) {
        switch (this) {
            case NPY -> OutputTarget.checkDirectory(output, name -> NpyDatasetWriter.OWN_FILES.matcher(name).matches());
            case SAFETENSORS -> OutputTarget.checkFile(output, overwrite);
            case PT -> OutputTarget.checkDirectory(output, cliName(), TorchPtWriter::ownFile);
        }
    }

    /** Whether an interrupted run can be continued by running the same command again. */
    public boolean resumable() {
        return this != SAFETENSORS;
    }

    /** What names a record in this format: its id (first word), or for pt its whole header, as esm-extract names it. */
    public RecordKey recordKey() {
        return this == PT ? RecordKey.HEADER : RecordKey.ID;
    }

    /** Why {@code key} (see {@link #recordKey}) cannot name a sequence's output in this format, or null when it can. */
    public String keyProblem(String key) {
        return this == PT ? TorchPtWriter.fileNameProblem(key) : null;
    }

    /**
     * What an earlier run left at {@code output}, for a run of {@code identity} (changes nothing); null for a format
     * that cannot resume.
     */
    public ResumeState inspect(Path output, DatasetIdentity identity) {
        return switch (this) {
            case NPY -> ResumeState.inspect(output, identity);
            case PT -> TorchPtWriter.inspect(output, identity);
            case SAFETENSORS -> null;
        };
    }

    /**
     * Opens the writer for a job of the given identity. npy and pt resume an interrupted run of the same job and
     * refuse work of another one unless {@code overwrite}; safetensors always starts over.
     */
    public EmbeddingWriter open(Path output, OutputSpec spec, int hidden, OutputDtype dtype, Map<String, Object> description,
                                DatasetIdentity identity, long partRows, boolean overwrite) {
        return switch (this) {
            case NPY -> new NpyDatasetWriter(output, spec, hidden, dtype, description, identity, partRows, overwrite);
            case SAFETENSORS -> new SafetensorsWriter(output, spec, hidden, dtype, withIdentity(description, identity));
            case PT -> new TorchPtWriter(output, spec, hidden, dtype, description, identity, partRows, overwrite);
        };
    }

    /** A writer that starts over and records no job identity (see {@link DatasetIdentity#unchecked()}): for the library API and tests. */
    public EmbeddingWriter open(Path output, OutputSpec spec, int hidden, OutputDtype dtype, Map<String, Object> description) {
        return open(output, spec, hidden, dtype, description, DatasetIdentity.unchecked(), NpyDatasetWriter.DEFAULT_PART_ROWS, true);
    }

    private static Map<String, Object> withIdentity(Map<String, Object> description, DatasetIdentity identity) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(description);
        m.put("identity", identity.toMap());
        return m;
    }
}
