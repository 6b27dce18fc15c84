package org.esm2j.model;

import org.esm2j.Esm2jException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The memory-mapped safetensors of one model directory: {@code model.safetensors}, or the shards listed in
 * {@code model.safetensors.index.json}. Closing it unmaps every file.
 */
public final class Checkpoint implements AutoCloseable {
    private final Path directory;
    private final List<SafetensorsFile> files;
    private final Map<String, TensorInfo> tensors;
    /** The page-in thread, when one was started; stopped and joined by {@link #close}. */
    private Thread pageIn;
    private volatile boolean closing;

    private Checkpoint(Path directory, List<SafetensorsFile> files, Map<String, TensorInfo> tensors) {
        this.directory = directory;
        this.files = files;
        this.tensors = tensors;
    }

    public static Checkpoint open(Path directory) {
        Path single = directory.resolve("model.safetensors");
        Path index = directory.resolve("model.safetensors.index.json");
        List<SafetensorsFile> files = new ArrayList<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        try {
            if (Files.isRegularFile(single)) {
                SafetensorsFile f = SafetensorsFile.open(single);
                files.add(f);
                tensors.putAll(f.tensors());
            } else if (Files.isRegularFile(index)) {
                for (String shard : shardNames(index)) {
                    Path shardPath = directory.resolve(shard).normalize();
                    if (!shardPath.startsWith(directory.normalize())) {
                        throw Esm2jException.badModel(index + ": shard '" + shard + "' points outside the model directory");
                    }
                    if (!Files.isRegularFile(shardPath)) {
                        throw Esm2jException.badModel(index + " lists shard '" + shard + "', but " + shardPath
                                + " is missing; download the model again (an interrupted download leaves shards out)");
                    }
                    SafetensorsFile f = SafetensorsFile.open(shardPath);
                    files.add(f);
                    for (var e : f.tensors().entrySet()) {
                        if (tensors.putIfAbsent(e.getKey(), e.getValue()) != null) {
                            throw Esm2jException.badModel(shardPath + ": tensor '" + e.getKey() + "' appears in two shards");
                        }
                    }
                }
            } else {
                throw Esm2jException.badModel(directory + ": no model.safetensors or model.safetensors.index.json");
            }
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
        return new Checkpoint(directory, files, tensors);
    }

    private static TreeSet<String> shardNames(Path index) {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(index));
            JsonNode map = root.get("weight_map");
            if (map == null || !map.isObject() || map.isEmpty()) {
                throw Esm2jException.badModel(index + ": no weight_map");
            }
            TreeSet<String> names = new TreeSet<>();
            for (var e : map.properties()) {
                names.add(e.getValue().asString());
            }
            return names;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw Esm2jException.badModel(index + ": not UTF-8 JSON text (a binary file?); the index must be the hub's JSON weight map");
        } catch (IOException e) {
            throw Esm2jException.badModel(index + ": cannot read: " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw Esm2jException.badModel(index + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    public Path directory() {
        return directory;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public long totalBytes() {
        return files.stream().mapToLong(SafetensorsFile::sizeBytes).sum();
    }

    public List<Path> files() {
        return files.stream().map(SafetensorsFile::path).toList();
    }

    /**
     * Starts reading every file into memory on a thread of its own, while the caller goes on (scanning the input,
     * starting the GPUs), so that the weights' upload reads memory, not the disk; the future completes when it is done
     * (or was stopped by {@link #close}, or failed: the upload then reads the pages itself). Skipped when the files
     * take more than half the machine's memory: they would push each other out.
     */
    public synchronized CompletableFuture<Void> pageInBackground() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long physical = physicalMemoryBytes();
        if (pageIn != null || closing || physical <= 0 || totalBytes() > physical / 2) {
            done.complete(null);
            return done;
        }
        pageIn = Thread.ofPlatform().name("esm2j-checkpoint-page-in").daemon().start(() -> {
            try {
                for (SafetensorsFile f : files) {
                    f.pageIn(() -> closing);
                }
            } catch (RuntimeException e) {
                // Reading ahead is an optimisation: a failure here is the upload's to report, when it reads the same pages.
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    /** MemTotal of /proc/meminfo; -1 when unknown (not Linux), and then nothing is read ahead. */
    private static long physicalMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format
        }
        return -1;
    }

    @Override
    public void close() {
        Thread reader;
        synchronized (this) {
            closing = true;
            reader = pageIn;
        }
        if (reader != null) {
            boolean interrupted = false;
            while (reader.isAlive()) {
                try {
                    reader.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        files.forEach(SafetensorsFile::close);
    }
}
