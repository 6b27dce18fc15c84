package org.esm2j.hub;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.TestData;
import org.esm2j.model.EsmModel;
import org.esm2j.model.ModelLocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code esm2j fetch} against a local server with the hub's URL layout, redirects, headers and Range support. */
class HubDownloaderTest {
    static final String REPO = "org/tiny-esm";

    @TempDir
    Path tmp;
    FakeHub hub;
    byte[] config;
    byte[] weights;
    Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        config = Files.readAllBytes(TestData.tiny().resolve("config.json"));
        weights = Files.readAllBytes(TestData.tiny().resolve("model.safetensors"));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", config);
        files.put("model.safetensors", weights);
        files.put("vocab.txt", "<cls>\n<pad>\n".getBytes());
        hub = new FakeHub(REPO, files, Set.of("model.safetensors"));
        env = new HashMap<>(Map.of("HF_ENDPOINT", hub.endpoint(), "HF_HUB_CACHE", tmp.resolve("cache").toString(), "HOME", tmp.toString()));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    HubDownloader downloader(int retries) {
        return new HubDownloader(env, "esm2j-test", retries, Duration.ofMillis(10));
    }

    Path repoDir() {
        return tmp.resolve("cache/models--org--tiny-esm");
    }

    Path weightsBlob() throws Exception {
        return repoDir().resolve("blobs").resolve(FakeHub.sha256(weights));
    }

    @Test
    void fetchesIntoTheHubCacheLayoutThatEmbedAndTransformersRead() throws Exception {
        Path snapshot = downloader(0).fetch(REPO, "main");

        assertThat(snapshot).isEqualTo(repoDir().resolve("snapshots").resolve(FakeHub.COMMIT));
        assertThat(Files.readString(repoDir().resolve("refs/main"))).isEqualTo(FakeHub.COMMIT);
        assertThat(Files.readSymbolicLink(snapshot.resolve("model.safetensors"))).isEqualTo(Path.of("../../blobs/" + FakeHub.sha256(weights)));
        assertThat(Files.readSymbolicLink(snapshot.resolve("config.json"))).isEqualTo(Path.of("../../blobs/" + FakeHub.gitSha1(config)));
        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(snapshot.resolve("vocab.txt")).isRegularFile();
        try (var s = Files.list(repoDir().resolve("blobs"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".incomplete"))).isEmpty();
        }
        try (EsmModel model = EsmModel.load(REPO, new ModelLocator(env))) {
            assertThat(model.config().numLayers()).isEqualTo(2);
            assertThat(model.directory()).isEqualTo(snapshot);
        }
        assertThat(hub.requests("cdn", "GET")).hasSize(1);
        assertThat(hub.requests("hub", "GET")).as("weights never come from the hub itself").noneMatch(r -> r.path().endsWith("model.safetensors"));

        downloader(0).fetch(REPO, "main");
        assertThat(hub.requests("cdn", "GET")).as("nothing is downloaded twice").hasSize(1);
    }

    @Test
    void aPartialDownloadIsResumedWithARangeRequest() throws Exception {
        Files.createDirectories(repoDir().resolve("blobs"));
        int half = weights.length / 2;
        Path incomplete = weightsBlob().resolveSibling(weightsBlob().getFileName() + ".incomplete");
        Files.write(incomplete, java.util.Arrays.copyOf(weights, half));

        downloader(0).fetch(REPO, "main");

        assertThat(hub.requests("cdn", "GET")).singleElement().satisfies(r -> assertThat(r.range()).isEqualTo("bytes=" + half + "-"));
        assertThat(Files.readAllBytes(weightsBlob())).isEqualTo(weights);
        assertThat(incomplete).doesNotExist();
    }

    @Test
    void aBrokenTransferKeepsWhatArrivedAndTheNextRunResumesIt() throws Exception {
        hub.cutAfterBytes = weights.length / 3;
        assertThatThrownBy(() -> downloader(0).fetch(REPO, "main"))
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NETWORK))
                .hasMessageContaining("broke off");
        Path incomplete = weightsBlob().resolveSibling(weightsBlob().getFileName() + ".incomplete");
        long kept = Files.size(incomplete);
        assertThat(kept).isPositive().isLessThan(weights.length);
        assertThat(weightsBlob()).doesNotExist();
        assertThat(repoDir().resolve("snapshots").resolve(FakeHub.COMMIT).resolve("model.safetensors")).doesNotExist();

        downloader(0).fetch(REPO, "main");
        assertThat(hub.requests("cdn", "GET").getLast().range()).isEqualTo("bytes=" + kept + "-");
        assertThat(Files.readAllBytes(weightsBlob())).isEqualTo(weights);
    }

    @Test
    void retriesResumeWithinOneRun() throws Exception {
        hub.cutAfterBytes = weights.length / 4;
        downloader(2).fetch(REPO, "main");
        List<FakeHub.Request> gets = hub.requests("cdn", "GET");
        assertThat(gets).hasSize(2);
        assertThat(gets.get(0).range()).isNull();
        assertThat(gets.get(1).range()).startsWith("bytes=").isNotEqualTo("bytes=0-");
        assertThat(Files.readAllBytes(weightsBlob())).isEqualTo(weights);
    }

    @Test
    void aStalledTransferIsDroppedAndResumed() throws Exception {
        hub.stallAfterBytes = weights.length / 3;
        long t0 = System.nanoTime();
        new HubDownloader(env, "esm2j-test", 1, Duration.ofMillis(10), Duration.ofMillis(500)).fetch(REPO, "main");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20)); // not the server's 30 s silence
        List<FakeHub.Request> gets = hub.requests("cdn", "GET");
        assertThat(gets).hasSize(2);
        assertThat(gets.get(1).range()).isEqualTo("bytes=" + weights.length / 3 + "-");
        assertThat(Files.readAllBytes(weightsBlob())).isEqualTo(weights);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aStalledTransferWithoutRetriesFailsSayingSo() {
        hub.stallAfterBytes = 1000;
        assertThatThrownBy(() -> new HubDownloader(env, "esm2j-test", 0, Duration.ofMillis(10), Duration.ofMillis(300)).fetch(REPO, "main"))
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NETWORK))
                .hasMessageContaining("no data for");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aCorruptedDownloadIsDetectedAndNeverPublished() throws Exception {
        hub.corruptFile = "model.safetensors";
        assertThatThrownBy(() -> downloader(0).fetch(REPO, "main"))
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NETWORK))
                .hasMessageContaining("model.safetensors is corrupted").hasMessageContaining(FakeHub.sha256(weights));
        assertThat(weightsBlob()).doesNotExist();
        assertThat(weightsBlob().resolveSibling(weightsBlob().getFileName() + ".incomplete")).as("bad bytes are not resumed from").doesNotExist();
        assertThat(repoDir().resolve("snapshots").resolve(FakeHub.COMMIT).resolve("model.safetensors")).doesNotExist();
        assertThat(repoDir().resolve("refs/main")).doesNotExist();

        hub.corruptFile = null;
        downloader(0).fetch(REPO, "main");
        assertThat(Files.readAllBytes(weightsBlob())).isEqualTo(weights);
    }

    @Test
    void aCorruptedSmallFileFailsItsGitHash() throws Exception {
        hub.corruptFile = "config.json";
        assertThatThrownBy(() -> downloader(0).fetch(REPO, "main"))
                .hasMessageContaining("config.json is corrupted: its SHA-1").hasMessageContaining(FakeHub.gitSha1(config));
        assertThat(repoDir().resolve("blobs").resolve(FakeHub.gitSha1(config))).doesNotExist();
    }

    @Test
    void offlineModeUsesNoNetwork() throws Exception {
        env.put("HF_HUB_OFFLINE", "1");
        assertThatThrownBy(() -> downloader(0).fetch(REPO, "main"))
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_MODEL))
                .hasMessageContaining("HF_HUB_OFFLINE is set").hasMessageContaining("login node");
        assertThat(hub.requests).isEmpty();

        env.remove("HF_HUB_OFFLINE");
        Path online = downloader(0).fetch(REPO, "main");
        int requests = hub.requests.size();
        env.put("HF_HUB_OFFLINE", "true");
        assertThat(downloader(0).fetch(REPO, "main")).isEqualTo(online);
        assertThat(hub.requests).hasSize(requests);
    }

    @Test
    void aMissingRepositoryOrRevisionIsNamed() {
        assertThatThrownBy(() -> downloader(0).fetch("org/nothing-here", "main"))
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_MODEL))
                .hasMessageContaining("no repository org/nothing-here at " + hub.endpoint());
        assertThatThrownBy(() -> downloader(0).fetch(REPO, "v9"))
                .hasMessageContaining("has no revision 'v9'");
    }

    @Test
    void theTokenGoesToTheHubButNotToTheCdn() throws Exception {
        hub.requiredToken = "hf_secret";
        assertThatThrownBy(() -> downloader(0).fetch(REPO, "main")).hasMessageContaining("HTTP 401").hasMessageContaining("set HF_TOKEN");
        env.put("HF_TOKEN", "hf_secret");
        int refused = hub.requests.size();
        downloader(0).fetch(REPO, "main");
        List<FakeHub.Request> withToken = hub.requests.subList(refused, hub.requests.size());
        assertThat(withToken).filteredOn(r -> r.server().equals("hub")).isNotEmpty().allMatch(r -> "Bearer hf_secret".equals(r.authorization()));
        assertThat(hub.requests("cdn", "GET")).isNotEmpty().allMatch(r -> r.authorization() == null);
    }

    @Test
    void shardedWeightsComeWithTheirIndex() throws Exception {
        hub.close();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", config);
        files.put("model.safetensors.index.json", indexFor(weights).getBytes());
        files.put("model-00001-of-00001.safetensors", weights);
        hub = new FakeHub(REPO, files, Set.of("model-00001-of-00001.safetensors"));
        env.put("HF_ENDPOINT", hub.endpoint());
        Path snapshot = downloader(0).fetch(REPO, "main");
        assertThat(snapshot.resolve("model.safetensors.index.json")).isRegularFile();
        assertThat(snapshot.resolve("model-00001-of-00001.safetensors")).isRegularFile();
        try (EsmModel model = EsmModel.load(REPO, new ModelLocator(env))) {
            assertThat(model.config().hiddenSize()).isEqualTo(64);
        }
    }

    /** An index mapping every tensor of {@code safetensors} to one shard file. */
    private static String indexFor(byte[] safetensors) {
        long headerLen = java.nio.ByteBuffer.wrap(safetensors, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(safetensors, 8, (int) headerLen);
        Map<?, ?> tensors = tools.jackson.databind.json.JsonMapper.builder().build().readValue(header, Map.class);
        StringBuilder sb = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        String sep = "";
        for (Object name : tensors.keySet()) {
            if (!name.equals("__metadata__")) {
                sb.append(sep).append('"').append(name).append("\": \"model-00001-of-00001.safetensors\"");
                sep = ", ";
            }
        }
        return sb.append("}}").toString();
    }
}
