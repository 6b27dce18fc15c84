package org.esm2j.output;

import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.input.DuplicateIds;
import org.esm2j.input.InputFingerprint;
import org.esm2j.input.InvalidRecords;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What decides the numbers in a dataset: the checkpoint, the options that change results, the shard and the
 * input. Two runs with equal identities produce the same rows, so one may resume the other, and shards with
 * equal identities (but for the shard index) may be merged.
 *
 * @param modelFingerprint {@code EsmModel.fingerprint()}
 * @param modelName        informational, never compared (the same weights may be reached by several names)
 * @param options          result-changing options by their manifest names (include, repr_layers, truncation_seq_length,
 *                         output_dtype, duplicate_ids, invalid_records, dtype: the arithmetic the devices used); compared value by value
 * @param shardIndex       0-based shard, 0 when not sharded
 * @param shardCount       shards the input is split into, 1 when not sharded
 * @param input            the input file's fingerprint; null for standard input (which can never be resumed)
 */
public record DatasetIdentity(String modelFingerprint, String modelName, Map<String, Object> options, int shardIndex,
                              int shardCount, InputFingerprint input) {

    public DatasetIdentity {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** The identity of an {@code esm2j embed} job; the option names are the manifest's. */
    public static DatasetIdentity of(String modelFingerprint, String modelName, OutputSpec spec, int truncation, OutputDtype dtype,
                                     DuplicateIds duplicates, InvalidRecords invalidRecords, String computeDtype, int shardIndex, int shardCount, String input) {
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("include", spec.kinds().stream().map(OutputKind::cliName).toList());
        opts.put("repr_layers", spec.layers());
        opts.put("truncation_seq_length", truncation);
        opts.put("output_dtype", dtype.cliName());
        opts.put("duplicate_ids", duplicates.cliName());
        // Which records are rows: skip leaves out what unk embeds.
        opts.put("invalid_records", invalidRecords.cliName());
        // As the devices computed (bf16 rows must not be mixed with fp32 ones): never "auto", which means different things on different nodes.
        opts.put("dtype", computeDtype);
        return new DatasetIdentity(modelFingerprint, modelName, opts, shardIndex, shardCount, InputFingerprint.of(input));
    }

    /** For output written outside {@code esm2j embed}: no model or input recorded, so it never matches an earlier run. */
    public static DatasetIdentity unchecked() {
        return new DatasetIdentity("unknown", "unknown", Map.of(), 0, 1, null);
    }

    /**
     * This identity with one more result-changing option. Options added after datasets were first written are recorded
     * only when they change results (so that a dataset written before them still resumes).
     */
    public DatasetIdentity withOption(String name, Object value) {
        Map<String, Object> opts = new LinkedHashMap<>(options);
        opts.put(name, value);
        return new DatasetIdentity(modelFingerprint, modelName, opts, shardIndex, shardCount, input);
    }

    public DatasetIdentity withShard(int index, int count) {
        return new DatasetIdentity(modelFingerprint, modelName, options, index, count, input);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("fingerprint", modelFingerprint);
        model.put("name", modelName);
        m.put("model", model);
        m.put("options", options);
        Map<String, Object> shard = new LinkedHashMap<>();
        shard.put("index", shardIndex);
        shard.put("count", shardCount);
        m.put("shard", shard);
        m.put("input", input == null ? null : input.toMap());
        return m;
    }

    @SuppressWarnings("unchecked")
    public static DatasetIdentity fromMap(Map<?, ?> m) {
        Map<?, ?> model = (Map<?, ?>) m.get("model");
        Map<?, ?> shard = (Map<?, ?>) m.get("shard");
        return new DatasetIdentity(String.valueOf(model.get("fingerprint")), String.valueOf(model.get("name")),
                (Map<String, Object>) m.get("options"), ((Number) shard.get("index")).intValue(), ((Number) shard.get("count")).intValue(),
                InputFingerprint.fromMap((Map<?, ?>) m.get("input")));
    }

    /** What differs between {@code earlier} and this identity, one human-readable line each; empty when they match. */
    public List<String> differences(DatasetIdentity earlier) {
        List<String> d = new ArrayList<>(differencesIgnoringShard(earlier));
        if (shardIndex != earlier.shardIndex || shardCount != earlier.shardCount) {
            d.add("--shard: earlier " + earlier.shardIndex + "/" + earlier.shardCount + ", now " + shardIndex + "/" + shardCount);
        }
        return d;
    }

    /** As {@link #differences} but for the shard (what merge needs: shards differ only there). */
    public List<String> differencesIgnoringShard(DatasetIdentity earlier) {
        List<String> d = new ArrayList<>();
        if (!modelFingerprint.equals(earlier.modelFingerprint)) {
            d.add("model: earlier " + earlier.modelName + " (fingerprint " + earlier.modelFingerprint + "), now " + modelName
                    + " (fingerprint " + modelFingerprint + ")");
        }
        Set<String> keys = new LinkedHashSet<>(earlier.options.keySet());
        keys.addAll(options.keySet());
        for (String k : keys) {
            // An option the other run did not record (one added since, at its default): "not set", not "null".
            String before = earlier.options.containsKey(k) ? Manifest.toCompactJson(earlier.options.get(k)) : "not set";
            String now = options.containsKey(k) ? Manifest.toCompactJson(options.get(k)) : "not set";
            if (!before.equals(now)) {
                String label = k.equals("dtype") ? "arithmetic (--dtype, as the devices computed)" : "--" + k.replace('_', '-');
                d.add(label + ": earlier " + before + ", now " + now);
            }
        }
        if (input == null) {
            d.add("input: standard input cannot be checked against the earlier run (give the file with --input to resume)");
        } else if (earlier.input == null) {
            d.add("input: the earlier run read standard input, which cannot be checked");
        } else if (!input.sameContent(earlier.input)) {
            d.add("input: earlier " + earlier.input.path() + " (" + earlier.input.size() + " bytes), now " + input.path() + " ("
                    + input.size() + " bytes" + (input.size() == earlier.input.size() ? ", different content" : "") + ")");
        }
        return d;
    }
}
