package org.esm2j.hub;

import org.esm2j.ExitCode;
import org.esm2j.TestData;
import org.esm2j.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands end to end, with the environment a cluster job has: fetch online, then embed offline by hub name. */
class FetchCommandTest {
    @TempDir
    Path tmp;

    private int run(Map<String, String> env, Path log, String... args) throws Exception {
        ProcessBuilder pb = Cli.process(log, args);
        pb.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("SLURM_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void fetchThenEmbedOfflineByHubName() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", Files.readAllBytes(TestData.tiny().resolve("config.json")));
        files.put("model.safetensors", Files.readAllBytes(TestData.tiny().resolve("model.safetensors")));
        try (FakeHub hub = new FakeHub("facebook/esm2_t2_tiny_UR50D", files, Set.of("model.safetensors"))) {
            Map<String, String> env = new LinkedHashMap<>(Map.of("HF_ENDPOINT", hub.endpoint(), "HF_HUB_CACHE", tmp.resolve("cache").toString(),
                    "HOME", tmp.toString()));
            Path fetchLog = tmp.resolve("fetch.log");
            assertThat(run(env, fetchLog, "fetch", "facebook/esm2_t2_tiny_UR50D")).as(Files.readString(fetchLog)).isZero();
            assertThat(Files.readString(fetchLog)).contains("snapshots/" + FakeHub.COMMIT);

            env.put("HF_HUB_OFFLINE", "1");
            Path out = tmp.resolve("out");
            Path embedLog = tmp.resolve("embed.log");
            int before = hub.requests.size();
            assertThat(run(env, embedLog, "embed", "-m", "facebook/esm2_t2_tiny_UR50D", "-i", TestData.proteins().toString(), "-o", out.toString()))
                    .as(Files.readString(embedLog)).isZero();
            assertThat(out.resolve("manifest.json")).isRegularFile();
            assertThat(hub.requests).hasSize(before);

            Path missingLog = tmp.resolve("missing.log");
            assertThat(run(env, missingLog, "fetch", "facebook/esm2_t33_650M_UR50D")).isEqualTo(ExitCode.BAD_MODEL.code());
            assertThat(Files.readString(missingLog)).contains("HF_HUB_OFFLINE is set").doesNotContain("Exception");
            Path embedMissingLog = tmp.resolve("embed-missing.log");
            assertThat(run(env, embedMissingLog, "embed", "-m", "facebook/esm2_t33_650M_UR50D", "-i", TestData.proteins().toString(), "-o",
                    tmp.resolve("x").toString())).isEqualTo(ExitCode.BAD_MODEL.code());
            assertThat(Files.readString(embedMissingLog)).contains("esm2j fetch facebook/esm2_t33_650M_UR50D");
        }
    }
}
