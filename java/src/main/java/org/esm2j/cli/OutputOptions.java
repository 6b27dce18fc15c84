package org.esm2j.cli;

import org.esm2j.io.out.EmbeddingWriter;
import org.esm2j.io.out.OutputDtype;
import org.esm2j.io.out.OutputFormat;
import org.esm2j.model.OutputSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** Where results go: --output, --format, --output-dtype, --overwrite. */
public final class OutputOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Output directory (npy) or file (safetensors).")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "npy",
            description = "npy (default: a directory of arrays, for millions of sequences) or safetensors (one file).")
    OutputFormat format;

    @Option(names = "--output-dtype", paramLabel = "TYPE", defaultValue = "float32",
            description = "float32 (default) or float16 for written embeddings.")
    OutputDtype outputDtype;

    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    public Path output() {
        return output;
    }

    public OutputDtype dtype() {
        return outputDtype;
    }

    /** Fails early, before the model is loaded, when the output cannot be written. */
    public void checkTarget() {
        format.checkTarget(output, overwrite);
    }

    public EmbeddingWriter open(OutputSpec spec, int hidden, Map<String, Object> description) {
        return format.open(output, spec, hidden, outputDtype, description);
    }
}
