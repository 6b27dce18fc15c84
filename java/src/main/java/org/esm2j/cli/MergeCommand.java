package org.esm2j.cli;

import org.esm2j.output.DatasetMerger;
import org.esm2j.output.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code esm2j merge}: the outputs of {@code embed --shard K/N} joined into one dataset. */
@Command(name = "merge",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        description = {
                "Join the shards of 'esm2j embed --shard K/N' into one dataset, in input order.",
                "",
                "The result is exactly what one unsharded run would have written. Checks first",
                "that every shard (K = 0..N-1) is there once, finished, and made with the same",
                "model, options and input; and, while copying, that no id repeats.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  esm2j merge -o out/all out/shard-*",
                "  esm2j merge -o all.safetensors --format safetensors out/shard-*"})
public final class MergeCommand implements Callable<Integer> {

    @Mixin
    LoggingMixin logging;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH", description = "Merged output: a directory (npy) or a file (safetensors).")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "npy", description = "npy (default) or safetensors.")
    OutputFormat format;

    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    @Parameters(arity = "1..*", paramLabel = "SHARD", description = "The output directories of every shard (any order).")
    List<Path> shards;

    @Override
    public Integer call() {
        logging.apply();
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("esm2j_version", VersionProvider.version());
        created.put("created", Instant.now().toString());
        DatasetMerger.merge(shards, output, format, overwrite, created);
        return 0;
    }
}
