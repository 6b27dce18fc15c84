package org.esm2j.model;

import org.esm2j.Esm2jException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A loaded ESM-2 checkpoint: config, memory-mapped weights, and where it came from.
 * Closing it unmaps the weights; backends that copied what they need (the GPU) may outlive it.
 */
public final class EsmModel implements AutoCloseable {
    private final String name;
    private final Path directory;
    private final EsmConfig config;
    private final Checkpoint checkpoint;
    private final EsmWeights weights;

    private EsmModel(String name, Path directory, EsmConfig config, Checkpoint checkpoint, EsmWeights weights) {
        this.name = name;
        this.directory = directory;
        this.config = config;
        this.checkpoint = checkpoint;
        this.weights = weights;
    }

    /** Loads {@code spec}: a model directory, a hub name in the local cache, or a fair-esm model name. */
    public static EsmModel load(String spec) {
        return load(spec, ModelLocator.fromEnvironment());
    }

    public static EsmModel load(String spec, ModelLocator locator) {
        Path dir = locator.resolve(spec);
        EsmConfig config = EsmConfig.read(dir.resolve("config.json"));
        Checkpoint checkpoint = Checkpoint.open(dir);
        try {
            EsmWeights weights = EsmWeights.bind(config, checkpoint.tensors(), dir.toString());
            String hub = ModelLocator.hubName(spec);
            return new EsmModel(hub != null && !Files.isDirectory(Path.of(spec)) ? hub : dir.getFileName().toString(),
                    dir, config, checkpoint, weights);
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public Path directory() {
        return directory;
    }

    public EsmConfig config() {
        return config;
    }

    public EsmWeights weights() {
        return weights;
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /**
     * A cheap identity of the weights: the SHA-256 of config.json plus each file's name, size and first
     * megabyte of tensor data. It catches a swapped checkpoint without reading 11 GB.
     */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(directory.resolve("config.json")));
            for (Path f : checkpoint.files()) {
                sha.update(f.getFileName().toString().getBytes());
                long size = Files.size(f);
                sha.update(Long.toString(size).getBytes());
                try (var in = Files.newInputStream(f)) {
                    sha.update(in.readNBytes(1 << 20));
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (IOException e) {
            throw Esm2jException.badModel(directory + ": cannot read for fingerprinting: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        checkpoint.close();
    }
}
