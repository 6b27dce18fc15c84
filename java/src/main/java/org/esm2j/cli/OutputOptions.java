package org.esm2j.cli;

import org.esm2j.device.OutputSpec;
import org.esm2j.output.DatasetIdentity;
import org.esm2j.output.EmbeddingWriter;
import org.esm2j.output.NpyDatasetWriter;
import org.esm2j.output.OutputDtype;
import org.esm2j.output.OutputFormat;
import org.esm2j.output.ResumeState;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where results go: --output, --format, --output-dtype, --overwrite, --part-size. */
public final class OutputOptions {
    Path output;
    /** As given: {@link Path} drops a trailing slash, which says the user meant a directory. */
    private String outputText;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Output directory (npy, pt) or file (safetensors).")
    void setOutput(String path) {
        try {
            output = Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            String message = "output '" + path + "' is not a path on this system: " + e.getReason();
            throw mixee == null ? new UsageException(message) : new CommandLine.ParameterException(mixee.commandLine(), message);
        }
        outputText = path;
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "npy",
            description = "npy (default: a directory of arrays, for millions of sequences), safetensors (one file) or pt "
                    + "(esm-extract's {label}.pt files, named by the whole header).")
    OutputFormat format;

    @Option(names = "--output-dtype", paramLabel = "TYPE", defaultValue = "float32",
            description = "float32 (default) or float16 for written embeddings.")
    OutputDtype outputDtype;

    @Option(names = "--overwrite", description = "Start over: replace an existing output, and discard the finished parts of an "
            + "interrupted run (without it, the same command resumes that run).")
    boolean overwrite;

    @Option(names = "--part-size", paramLabel = "N", defaultValue = "" + NpyDatasetWriter.DEFAULT_PART_ROWS,
            description = "npy, pt: sequences per resumable part (default ${DEFAULT-VALUE}); a killed run loses at most one part of work.")
    long partRows;

    public Path output() {
        return output;
    }

    public OutputDtype dtype() {
        return outputDtype;
    }

    /** Fails early, before the model is loaded, when the output cannot be written. */
    public void checkTarget() {
        if (partRows < 1) {
            throw new UsageException("--part-size must be >= 1, got " + partRows);
        }
        if (format == OutputFormat.SAFETENSORS && (outputText.endsWith("/") || outputText.endsWith(java.io.File.separator) || Files.isDirectory(output))) {
            throw new UsageException("--output " + outputText + ": --format " + format.cliName() + " writes one file, and this names a directory;"
                    + " give a file name (" + output.resolve("embeddings." + format.cliName()) + ")");
        }
        format.checkTarget(output, overwrite);
    }

    public OutputFormat format() {
        return format;
    }

    public boolean overwrite() {
        return overwrite;
    }

    public long partRows() {
        return partRows;
    }

    /**
     * What an earlier run left at the output, checked before any device is set up: null when there is nothing to
     * resume (or safetensors, or --overwrite); refuses (BAD_OUTPUT) work of another job (or, for pt, .pt files esm2j did not write).
     */
    public ResumeState earlierRun(DatasetIdentity identity) {
        if (!format.resumable() || overwrite || !Files.isDirectory(output)) {
            return null;
        }
        ResumeState state = format.inspect(output, identity);
        if (state.status() == ResumeState.Status.MISMATCH) {
            throw state.refusal(output);
        }
        return state;
    }

    /** Opens the writer: for npy this resumes an interrupted run of the same job (see {@link NpyDatasetWriter}). */
    public EmbeddingWriter open(OutputSpec spec, int hidden, Map<String, Object> description, DatasetIdentity identity) {
        return format.open(output, spec, hidden, outputDtype, description, identity, partRows, overwrite);
    }
}
