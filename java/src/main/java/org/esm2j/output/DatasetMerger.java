package org.esm2j.output;

import org.esm2j.Esm2jException;
import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.input.IdRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code esm2j merge}: joins the npy outputs of {@code embed --shard K/N} (K = 0..N-1) into the dataset one
 * unsharded run would have written, in the same row order (sequence g comes from shard g mod N), byte for byte.
 *
 * <p>Before anything is written it checks that the shards belong together and that nothing is missing or
 * repeated: every shard finished, one identity (model, options, input) up to the shard index, one N, each index
 * exactly once, row counts that fit the round-robin split of the same input, and (while copying) no id twice.
 */
public final class DatasetMerger {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetMerger.class);

    private DatasetMerger() {
    }

    /** One shard's finished output. */
    private record Shard(Path dir, Map<String, Object> manifest, DatasetIdentity identity, long rows, long inputSequences) {
    }

    /**
     * Merges {@code shardDirs} into {@code output} as {@code format}; returns the number of sequences written.
     *
     * @param created  the merged manifest's description (esm2j version, time)
     */
    public static long merge(List<Path> shardDirs, Path output, OutputFormat format, boolean overwrite, Map<String, Object> created) {
        if (format == OutputFormat.PT) {
            throw new org.esm2j.InvalidParameterException(org.esm2j.Parameter.FORMAT, "{format} pt is not a merge format: npy shards keep ids "
                    + "(first words), not the whole headers .pt files are named by. Run embed {format} pt for every shard instead; each shard's "
                    + "directory then holds finished .pt files, which can simply be moved into one directory");
        }
        long t0 = System.nanoTime();
        List<Shard> shards = readShards(shardDirs);
        Shard first = shards.getFirst();
        long total = first.inputSequences();
        Map<String, Object> options = first.identity().options();
        OutputSpec spec = spec(first);
        int hidden = ((Number) ((Map<?, ?>) first.manifest().get("model")).get("hidden_size")).intValue();
        OutputDtype dtype = OutputDtype.valueOf(String.valueOf(options.get("output_dtype")).toUpperCase(java.util.Locale.ROOT));
        ArrayLayout layout = ArrayLayout.of(spec, hidden);
        for (Shard s : shards) {
            Object arrays = s.manifest().get("arrays");
            if (!(arrays instanceof Map<?, ?> m) || !m.keySet().equals(layout.arrays().stream().map(ArrayLayout.Array::name)
                    .collect(java.util.stream.Collectors.toSet()))) {
                throw Esm2jException.badInput(s.dir().resolve(Manifest.FILE) + ": its arrays do not match its options " + options);
            }
        }
        checkTarget(output, format, overwrite);

        DatasetIdentity merged = first.identity().withShard(0, 1);
        Map<String, Object> description = new LinkedHashMap<>(created);
        description.put("model", first.manifest().get("model"));
        Map<String, Object> opts = new LinkedHashMap<>(castMap(first.manifest().get("options")));
        opts.put("shard", "0/1 (merged from " + shards.size() + " shards)");
        description.put("options", opts);
        description.put("merged_from", shards.stream().map(s -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("dir", s.dir().toAbsolutePath().toString());
            e.put("shard", s.identity().shardIndex() + "/" + s.identity().shardCount());
            e.put("rows", s.rows());
            return e;
        }).toList());

        int n = shards.size();
        List<NpyDatasetReader> readers = new ArrayList<>();
        IdRegistry ids = new IdRegistry();
        long[] row = new long[1];
        java.util.function.Consumer<String> idCheck = id -> {
            if (!ids.add(id)) {
                throw Esm2jException.badInput("id '" + id + "' appears twice (again in shard " + (row[0] % n) + ", row " + row[0]
                        + " of the merged order): these shards do not split one input");
            }
        };
        EmbeddingWriter stWriter = null;
        NpyArraySet set = null;
        boolean done = false;
        try {
            int buffer = NpyDatasetReader.bufferBytes(n, layout);
            for (Shard s : shards) {
                readers.add(NpyDatasetReader.open(s.dir(), layout, s.rows(), buffer));
            }
            if (format == OutputFormat.NPY) {
                Files.createDirectories(output);
                set = new NpyArraySet(output, layout, dtype);
                for (row[0] = 0; row[0] < total; row[0]++) {
                    set.appendFrom(readers.get((int) (row[0] % n)), 1, idCheck);
                }
            } else {
                stWriter = OutputFormat.SAFETENSORS.open(output, spec, hidden, dtype, description, merged, Long.MAX_VALUE, overwrite);
                for (row[0] = 0; row[0] < total; row[0]++) {
                    var emb = readers.get((int) (row[0] % n)).next(row[0], spec.layerCount());
                    idCheck.accept(emb.id());
                    stWriter.write(emb);
                }
            }
            for (NpyDatasetReader r : readers) {
                r.checkExhausted();
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("sequences", total);
            summary.put("shards", n);
            summary.put("wall_seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
            if (format == OutputFormat.NPY) {
                NpyDatasetWriter.publish(output, set, layout, set.finish(), description, merged, total, summary);
            } else {
                stWriter.commit(summary);
            }
            done = true;
            LOG.info("merged {} shards, {} sequences, into {}", n, total, output);
            return total;
        } catch (IOException e) {
            throw Esm2jException.badOutput("writing " + output + " failed: " + e.getMessage(), e);
        } finally {
            readers.forEach(NpyDatasetReader::close);
            if (!done) {
                if (set != null) {
                    set.discard();
                }
                if (stWriter != null) {
                    stWriter.abort();
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : Map.of();
    }

    private static void checkTarget(Path output, OutputFormat format, boolean overwrite) {
        format.checkTarget(output, overwrite);
        if (format == OutputFormat.NPY && Files.exists(output.resolve(Manifest.FILE)) && !overwrite) {
            throw Esm2jException.badOutput(output + " already holds a dataset; pass {overwrite} to replace it");
        }
    }

    private static OutputSpec spec(Shard s) {
        Map<String, Object> o = s.identity().options();
        EnumSet<OutputKind> kinds = EnumSet.noneOf(OutputKind.class);
        for (Object k : (List<?>) o.get("include")) {
            kinds.add(OutputKind.parse(String.valueOf(k)));
        }
        int[] layers = ((List<?>) o.get("repr_layers")).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
        return new OutputSpec(kinds, layers);
    }

    private static List<Shard> readShards(List<Path> dirs) {
        if (dirs.isEmpty()) {
            throw new InvalidParameterException(Parameter.SHARDS, "none given: merge needs the output directories of the shards");
        }
        List<Shard> shards = new ArrayList<>();
        for (Path d : dirs) {
            shards.add(readShard(d));
        }
        Shard ref = shards.getFirst();
        int count = ref.identity().shardCount();
        TreeMap<Integer, Shard> byIndex = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Shard s : shards) {
            List<String> diff = s.identity().differencesIgnoringShard(ref.identity());
            if (!diff.isEmpty()) {
                problems.add(s.dir() + " is not from the same job as " + ref.dir() + ": " + String.join("; ", diff));
            }
            if (s.identity().shardCount() != count) {
                problems.add(s.dir() + " is shard " + s.identity().shardIndex() + "/" + s.identity().shardCount() + " but " + ref.dir()
                        + " is of " + count + " shards");
            }
            Shard before = byIndex.put(s.identity().shardIndex(), s);
            if (before != null) {
                problems.add("shard " + s.identity().shardIndex() + "/" + count + " given twice: " + before.dir() + " and " + s.dir());
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            if (!byIndex.containsKey(k)) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            problems.add("missing shard" + (missing.size() == 1 ? " " : "s ") + abbreviate(missing) + " of 0.." + (count - 1)
                    + " (pass every shard directory; each is complete once its embed command exited 0)");
        }
        if (problems.isEmpty()) {
            long total = ref.inputSequences();
            for (Shard s : byIndex.values()) {
                long expected = total <= s.identity().shardIndex() ? 0 : (total - s.identity().shardIndex() - 1) / count + 1;
                if (s.inputSequences() != total || s.rows() != expected) {
                    problems.add(s.dir() + " holds " + s.rows() + " sequences of " + s.inputSequences() + " in its input, but shard "
                            + s.identity().shardIndex() + "/" + count + " of " + total + " should hold " + expected);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw Esm2jException.badInput("cannot merge:\n  " + String.join("\n  ", problems));
        }
        return new ArrayList<>(byIndex.values());
    }

    private static String abbreviate(List<Integer> xs) {
        List<String> s = xs.stream().limit(20).map(String::valueOf).toList();
        return String.join(", ", s) + (xs.size() > 20 ? ", … (" + xs.size() + " in all)" : "");
    }

    private static Shard readShard(Path dir) {
        Path manifest = dir.resolve(Manifest.FILE);
        if (!Files.isDirectory(dir)) {
            throw Esm2jException.badInput(dir + ": no such directory (merge takes the npy output directories of embed --shard)");
        }
        if (!Files.isRegularFile(manifest)) {
            Path progress = dir.resolve(NpyDatasetWriter.PARTS).resolve(NpyDatasetWriter.PROGRESS);
            if (Files.isRegularFile(progress)) {
                Object done = Manifest.read(progress).get("rows_finished");
                throw Esm2jException.badInput(dir + " is not finished (" + done + " sequences in finished parts so far): rerun its "
                        + "esm2j embed command, which resumes it, then merge");
            }
            throw Esm2jException.badInput(dir + ": no manifest.json, so not a finished esm2j npy output");
        }
        Map<String, Object> m = Manifest.read(manifest);
        if (!"esm2j-npy".equals(m.get("format")) || !(m.get("identity") instanceof Map<?, ?> id)) {
            throw Esm2jException.badInput(manifest + ": not an esm2j npy dataset with resume information (written by an older esm2j?)");
        }
        DatasetIdentity identity = DatasetIdentity.fromMap(id);
        long rows = ((Number) m.get("rows")).longValue();
        Object other = m.get("summary") instanceof Map<?, ?> s ? s.get("sequences_in_other_shards") : null;
        if (!(other instanceof Number o)) {
            throw Esm2jException.badInput(manifest + ": no summary.sequences_in_other_shards; cannot check the shard's place in its input");
        }
        return new Shard(dir, m, identity, rows, rows + o.longValue());
    }
}
