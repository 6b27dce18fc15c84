package org.esm2j.model;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --model as a directory, a file in one, or a hub name found in a (fake) local hub cache. */
class ModelLocatorTest {
    private static final String REPO = "facebook/esm2_t6_8M_UR50D";
    private static final String COMMIT = "c731040fc1e0e4e1ad2f0ea6f1eadd3e1e2e5f0a";

    @TempDir
    Path tmp;

    /**
     * Lays out {@code REPO} the way huggingface_hub does: files are symlinks from snapshots/&lt;commit&gt;/ into blobs/,
     * and refs/main holds the commit. Other snapshots may sit beside it.
     */
    private Path fakeHubCache(Path cache, String... extraSnapshots) throws IOException {
        Path repo = cache.resolve("models--facebook--esm2_t6_8M_UR50D");
        Path blobs = Files.createDirectories(repo.resolve("blobs"));
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
        for (String file : new String[] {"config.json", "model.safetensors"}) {
            Path blob = blobs.resolve("blob-" + file.hashCode());
            Files.copy(TestData.tiny().resolve(file), blob);
            Files.createSymbolicLink(snapshot.resolve(file), snapshot.relativize(blob));
        }
        for (String extra : extraSnapshots) {
            Files.createDirectories(repo.resolve("snapshots").resolve(extra));
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), COMMIT + "\n");
        return snapshot;
    }

    private static void assertBadModel(Runnable action, String... fragments) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_MODEL))
                .hasMessageContainingAll(fragments);
    }

    @Test
    void hubCacheFollowsHuggingfaceHubsOrder() {
        assertThat(new ModelLocator(Map.of("HF_HUB_CACHE", "/a", "HF_HOME", "/b", "HOME", "/c")).hubCache()).isEqualTo(Path.of("/a"));
        assertThat(new ModelLocator(Map.of("HF_HOME", "/b", "HOME", "/c")).hubCache()).isEqualTo(Path.of("/b/hub"));
        assertThat(new ModelLocator(Map.of("HF_HUB_CACHE", " ", "HF_HOME", "/b")).hubCache()).isEqualTo(Path.of("/b/hub"));
        assertThat(new ModelLocator(Map.of("HOME", "/c")).hubCache()).isEqualTo(Path.of("/c/.cache/huggingface/hub"));
    }

    @Test
    void aDirectoryOrAFileInsideItResolvesToTheDirectory() {
        ModelLocator locator = new ModelLocator(Map.of());
        Path tiny = TestData.tiny();
        assertThat(locator.resolve(tiny.toString())).isEqualTo(tiny);
        assertThat(locator.resolve(tiny.resolve("model.safetensors").toString())).isEqualTo(tiny.toAbsolutePath());
        assertThat(locator.resolve(tiny.resolve("config.json").toString())).isEqualTo(tiny.toAbsolutePath());
    }

    @Test
    void aFairEsmCheckpointFileIsExplained() throws IOException {
        Path pt = Files.writeString(tmp.resolve("esm2_t6_8M_UR50D.pt"), "pickle");
        assertBadModel(() -> new ModelLocator(Map.of()).resolve(pt.toString()), pt.toString(), ".pt", "safetensors");
    }

    @Test
    void hubNameIsFoundThroughRefsMainInHfHubCache() throws IOException {
        Path cache = tmp.resolve("hub");
        Path snapshot = fakeHubCache(cache, "0000000000000000000000000000000000000000");
        ModelLocator locator = new ModelLocator(Map.of("HF_HUB_CACHE", cache.toString(), "HOME", tmp.resolve("home").toString()));
        assertThat(locator.resolve(REPO)).isEqualTo(snapshot);
        try (EsmModel model = EsmModel.load(REPO, locator)) {
            assertThat(model.name()).isEqualTo(REPO);
            assertThat(model.config().numLayers()).isEqualTo(2);
        }
    }

    @Test
    void hubNameIsFoundUnderHfHome() throws IOException {
        Path snapshot = fakeHubCache(tmp.resolve("hfhome/hub"));
        ModelLocator locator = new ModelLocator(Map.of("HF_HOME", tmp.resolve("hfhome").toString()));
        assertThat(locator.resolve(REPO)).isEqualTo(snapshot);
    }

    @Test
    void fairEsmNameMeansTheFacebookRepository() throws IOException {
        Path snapshot = fakeHubCache(tmp.resolve("hub"));
        ModelLocator locator = new ModelLocator(Map.of("HF_HUB_CACHE", tmp.resolve("hub").toString()));
        assertThat(ModelLocator.hubName("esm2_t6_8M_UR50D")).isEqualTo(REPO);
        assertThat(locator.resolve("esm2_t6_8M_UR50D")).isEqualTo(snapshot);
    }

    @Test
    void revisionAfterAtSelectsTheSnapshot() throws IOException {
        Path cache = tmp.resolve("hub");
        fakeHubCache(cache);
        Path other = Files.createDirectories(cache.resolve("models--facebook--esm2_t6_8M_UR50D/snapshots/abc123"));
        Files.copy(TestData.tiny().resolve("config.json"), other.resolve("config.json"));
        Files.copy(TestData.tiny().resolve("model.safetensors"), other.resolve("model.safetensors"));
        ModelLocator locator = new ModelLocator(Map.of("HF_HUB_CACHE", cache.toString()));
        assertThat(locator.resolve(REPO + "@abc123")).isEqualTo(other);
    }

    @Test
    void modelNotInTheCacheSaysWhereItLookedAndHowToGetIt() {
        Path cache = tmp.resolve("empty-hub");
        ModelLocator locator = new ModelLocator(Map.of("HF_HUB_CACHE", cache.toString()));
        assertBadModel(() -> locator.resolve("facebook/esm2_t33_650M_UR50D"),
                "facebook/esm2_t33_650M_UR50D", "not in the local hub cache", cache.resolve("models--facebook--esm2_t33_650M_UR50D").toString(),
                "download facebook/esm2_t33_650M_UR50D", "config.json model.safetensors", "pass a directory");
    }

    @Test
    void aMissingRelativeDirectoryThatLooksLikeAHubNameSaysBoth() {
        ModelLocator locator = new ModelLocator(Map.of("HF_HUB_CACHE", tmp.resolve("empty-hub").toString()));
        assertBadModel(() -> locator.resolve("models/esm2-tiny"), "models/esm2-tiny", "not in the local hub cache", "there is no directory", "models/esm2-tiny).");
    }

    @Test
    void specThatIsNeitherADirectoryNorAHubName() {
        Path missing = tmp.resolve("no/such/dir");
        assertBadModel(() -> new ModelLocator(Map.of()).resolve(missing.toString()), missing.toString(), "no such directory", "hub name");
    }

    @Test
    void snapshotWithoutWeightsIsReported() throws IOException {
        Path cache = tmp.resolve("hub");
        Path snapshot = fakeHubCache(cache);
        Files.delete(snapshot.resolve("model.safetensors"));
        ModelLocator locator = new ModelLocator(Map.of("HF_HUB_CACHE", cache.toString()));
        assertBadModel(() -> locator.resolve(REPO), snapshot.toString(), "no model.safetensors");
    }
}
