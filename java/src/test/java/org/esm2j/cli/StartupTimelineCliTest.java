package org.esm2j.cli;

import org.esm2j.output.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.esm2j.cli.CliRunner.PROTEINS;
import static org.esm2j.cli.CliRunner.TINY;
import static org.esm2j.cli.CliRunner.embed;

/** The start-up timeline of a real run (CPU): every phase in the manifest, in the order a run goes through them. */
class StartupTimelineCliTest {
    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void theManifestHoldsTheStartUpPhasesInOrder() {
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", PROTEINS, "-o", out.toString(), "--device", "cpu", "--toks-per-batch", "300").succeeds();
        Map<String, Object> summary = (Map<String, Object>) Manifest.read(out.resolve(Manifest.FILE)).get("summary");
        List<Map<String, Object>> phases = (List<Map<String, Object>>) summary.get("startup");
        List<String> names = phases.stream().map(p -> (String) p.get("phase")).toList();
        assertThat(names).contains("process start to main", "input scan", "checkpoint open", "devices open", "cpu weights",
                "cpu sizing", "first batch submitted", "first batch done", "first result written");
        // Started in the order a run goes: the process, the model, the devices, sizing, the first batch, its result.
        assertThat(start(phases, "process start to main")).isEqualTo(0.0);
        assertThat(start(phases, "checkpoint open")).isLessThanOrEqualTo(start(phases, "devices open"));
        assertThat(end(phases, "cpu weights")).isLessThanOrEqualTo(end(phases, "devices open"));
        assertThat(end(phases, "devices open")).isLessThanOrEqualTo(start(phases, "cpu sizing"));
        assertThat(end(phases, "cpu sizing")).isLessThanOrEqualTo(start(phases, "first batch submitted"));
        assertThat(start(phases, "first batch submitted")).isLessThanOrEqualTo(start(phases, "first batch done"));
        assertThat(start(phases, "first batch done")).isLessThanOrEqualTo(start(phases, "first result written"));
        // The input scan runs beside the model's loading: it starts before the devices are open.
        assertThat(start(phases, "input scan")).isLessThan(end(phases, "devices open"));
        for (Map<String, Object> p : phases) {
            assertThat((Double) p.get("end_seconds")).as(p.toString()).isGreaterThanOrEqualTo((Double) p.get("start_seconds"));
        }
        assertThat(summary).containsKey("writer_wait_seconds");
    }

    @Test
    void anInputErrorIsReportedBeforeAModelError() {
        Path bad = CliRunner.write(tmp.resolve("dup.fasta"), ">a\nMKT\n>a\nMLS\n");
        CliRunner.Result r = embed("-m", tmp.resolve("no-such-model").toString(), "-i", bad.toString(), "-o", tmp.resolve("o").toString(),
                "--device", "cpu");
        assertThat(r.exitCode()).isEqualTo(org.esm2j.ExitCode.BAD_INPUT.code());
        assertThat(r.err()).contains("duplicate id");
    }

    private static double start(List<Map<String, Object>> phases, String name) {
        return (Double) phases.stream().filter(p -> p.get("phase").equals(name)).findFirst().orElseThrow().get("start_seconds");
    }

    private static double end(List<Map<String, Object>> phases, String name) {
        return (Double) phases.stream().filter(p -> p.get("phase").equals(name)).findFirst().orElseThrow().get("end_seconds");
    }
}
