package org.esm2j.model;

import org.esm2j.Esm2jException;
import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns what the user wrote after {@code --model} into a directory holding {@code config.json} and the weights.
 *
 * <p>Accepted: a directory in the model hub layout; a hub name ({@code facebook/esm2_t33_650M_UR50D},
 * optionally {@code @revision}); or a fair-esm model name ({@code esm2_t33_650M_UR50D}, meaning the
 * {@code facebook/} one). Hub names are looked up in the local hub cache the way huggingface_hub does:
 * {@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}, then
 * {@code models--org--name/snapshots/<commit>} with the commit read from {@code refs/<revision>}.
 */
public final class ModelLocator {
    private static final Pattern HUB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*/[A-Za-z0-9][A-Za-z0-9_.\\-]*");
    private static final Pattern FAIR_ESM_NAME = Pattern.compile("esm2_t\\d+_\\d+[MB]_UR50D");

    private final Map<String, String> env;

    public ModelLocator(Map<String, String> env) {
        this.env = env;
    }

    public static ModelLocator fromEnvironment() {
        return new ModelLocator(System.getenv());
    }

    /** The hub cache root, as huggingface_hub computes it. */
    public Path hubCache() {
        String cache = env.get("HF_HUB_CACHE");
        if (cache != null && !cache.isBlank()) {
            return Path.of(cache);
        }
        String home = env.get("HF_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "hub");
        }
        String userHome = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(userHome, ".cache", "huggingface", "hub");
    }

    /** The hub repository name ({@code org/name}) if {@code spec} names one rather than a directory; otherwise null. */
    public static String hubName(String spec) {
        String name = spec.contains("@") ? spec.substring(0, spec.indexOf('@')) : spec;
        if (FAIR_ESM_NAME.matcher(name).matches()) {
            return "facebook/" + name;
        }
        return HUB_NAME.matcher(name).matches() ? name : null;
    }

    public Path resolve(String spec) {
        Path asPath;
        try {
            asPath = Path.of(spec);
        } catch (java.nio.file.InvalidPathException e) {
            throw new InvalidParameterException(Parameter.MODEL, "'" + spec + "' is not a path on this system: " + e.getReason());
        }
        if (Files.isDirectory(asPath)) {
            return checkModelDirectory(asPath);
        }
        if (Files.isRegularFile(asPath)) {
            if (asPath.getFileName().toString().endsWith(".safetensors") || asPath.getFileName().toString().equals("config.json")) {
                Path dir = asPath.toAbsolutePath().getParent();
                return checkModelDirectory(dir);
            }
            throw Esm2jException.badModel(spec + " is a file; {model} takes a model directory (config.json + model.safetensors) or a hub name"
                    + (spec.endsWith(".pt") ? " (fair-esm .pt checkpoints are not read: use the hub's safetensors, e.g. esm2j fetch facebook/esm2_t33_650M_UR50D)" : ""));
        }
        String repo = hubName(spec);
        if (repo == null) {
            throw Esm2jException.badModel("{model} " + spec + ": no such directory, and not a hub name like facebook/esm2_t33_650M_UR50D");
        }
        String revision = spec.contains("@") ? spec.substring(spec.indexOf('@') + 1) : "main";
        Path repoDir = hubCache().resolve("models--" + repo.replace("/", "--"));
        Path snapshot = findSnapshot(repoDir, revision);
        if (snapshot == null) {
            throw Esm2jException.badModel("model " + repo + " is not in the local hub cache (" + repoDir + ").\n"
                    + "  Download it with:   esm2j fetch " + repo + (revision.equals("main") ? "" : "@" + revision) + "\n"
                    + "                      (on a cluster: on a login node, with the same HF_HUB_CACHE as the jobs)\n"
                    + "  or with Python:     huggingface-cli download " + repo + " config.json model.safetensors\n"
                    + "  or pass a directory holding config.json and model.safetensors to {model}"
                    // "models/esm2" may be a mistyped relative path rather than a hub name: say that it is not a directory either.
                    + (spec.contains("/") ? " (there is no directory " + asPath.toAbsolutePath() + ")." : "."));
        }
        return checkModelDirectory(snapshot);
    }

    private static Path findSnapshot(Path repoDir, String revision) {
        Path snapshots = repoDir.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return null;
        }
        Path ref = repoDir.resolve("refs").resolve(revision);
        try {
            if (Files.isRegularFile(ref)) {
                Path snap = snapshots.resolve(Files.readString(ref).strip());
                if (Files.isDirectory(snap)) {
                    return snap;
                }
            }
            Path direct = snapshots.resolve(revision);
            if (Files.isDirectory(direct)) {
                return direct;
            }
            if (revision.equals("main")) {
                try (Stream<Path> s = Files.list(snapshots)) {
                    List<Path> all = s.filter(Files::isDirectory).toList();
                    if (all.size() == 1) {
                        return all.getFirst();
                    }
                }
            }
        } catch (IOException e) {
            throw Esm2jException.badModel("cannot read the hub cache at " + repoDir + ": " + e.getMessage(), e);
        }
        return null;
    }

    private static Path checkModelDirectory(Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw Esm2jException.badModel(dir + ": no config.json; a model directory holds config.json and model.safetensors "
                    + "(or model.safetensors.index.json with its shards)");
        }
        if (!Files.isRegularFile(dir.resolve("model.safetensors")) && !Files.isRegularFile(dir.resolve("model.safetensors.index.json"))) {
            String hint = Files.isRegularFile(dir.resolve("pytorch_model.bin"))
                    ? " (only pytorch_model.bin is there: esm2j reads safetensors; the hub publishes model.safetensors for every ESM-2)"
                    : "";
            throw Esm2jException.badModel(dir + ": no model.safetensors or model.safetensors.index.json" + hint);
        }
        return dir;
    }
}
