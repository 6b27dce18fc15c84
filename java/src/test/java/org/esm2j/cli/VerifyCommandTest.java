package org.esm2j.cli;

import org.esm2j.CapturedStderr;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.pipeline.PerturbedDevice;
import org.esm2j.pipeline.Verification;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import org.esm2j.schedule.SingleDeviceExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code esm2j verify} on the command line: the table, the JSON, the gate's exit code, bad options. */
class VerifyCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void onTheCpuTheTableShowsZerosAndSaysWhy() {
        CliRunner.Result r;
        String log;
        try (CapturedStderr captured = new CapturedStderr()) {
            r = CliRunner.run("verify", "--threads", "2", "-m", CliRunner.TINY, "-i", CliRunner.PROTEINS, "--device", "cpu",
                "--include", "mean", "per_tok", "logits", "--repr-layers", "0", "-1", "--max-relative-error", "0").succeeds();
            log = captured.text();
        }
        assertThat(r.out()).contains("esm2j verify: esm2-tiny-L2-E64-H4", "the device under test is the CPU encoder itself (--device cpu",
                "Run with --device cuda on a GPU machine", "gate: passed (--max-relative-error 0)");
        assertThat(r.out().lines().filter(l -> l.matches("(mean|per_tok) +[02] +8 +0 +0 +0 +- +1 +1 +1 +-"))).hasSize(4);
        assertThat(r.out().lines().filter(l -> l.matches("logits +- +8 +0 +0 +0 +- +1 +1 +1 +-"))).hasSize(1);
        assertThat(log).contains("sample: the whole input, 8 sequences", "CPU reference (exact fp32, 2 threads)", "should take about");
    }

    @Test
    void jsonGivesEveryRowAndSequence() {
        CliRunner.Result r = CliRunner.run("verify", "-q", "--threads", "2", "-m", CliRunner.TINY, "-i", CliRunner.PROTEINS, "--include", "mean,bos",
                "--sample", "3", "--seed", "4", "--json").succeeds();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("model").asString()).isEqualTo("esm2-tiny-L2-E64-H4");
        assertThat(root.get("device").get("is_cpu_reference").asBoolean()).isTrue();
        assertThat(root.get("note").asString()).contains("--device cuda");
        assertThat(root.get("sample").get("drawn").asInt()).isEqualTo(3);
        assertThat(root.get("sample").get("verified").asInt()).isEqualTo(3);
        assertThat(root.get("sample").get("sequences_in_input").asInt()).isEqualTo(8);
        assertThat(root.get("sample").get("residues_max").asInt()).isEqualTo(1022);
        JsonNode results = root.get("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("output").asString()).isEqualTo("mean");
        assertThat(results.get(0).get("layer").asInt()).isEqualTo(2);
        assertThat(results.get(1).get("output").asString()).isEqualTo("bos");
        for (JsonNode row : results) {
            assertThat(row.get("relative_l2").get("worst").asDouble()).isZero();
            assertThat(row.get("cosine").get("worst").asDouble()).isEqualTo(1.0);
            assertThat(row.get("per_sequence")).hasSize(3);
        }
        assertThat(results.get(0).get("per_sequence").get(0).get("id").asString()).isEqualTo("len1100_truncated");
        assertThat(root.get("gate").get("passed").asBoolean()).isTrue();
        assertThat(root.get("gate").get("max_relative_error").isNull()).isTrue();
    }

    @Test
    void aDeviceOutsideTheBoundExitsWithCode8() throws IOException {
        Path fasta = Cli.fasta(tmp.resolve("in.fasta"), 6, 10, 40, 3);
        var cl = Main.commandLine();
        VerifyCommand verify = (VerifyCommand) cl.getSubcommands().get("verify").getCommand();
        verify.deviceSide = (devices, esm, spec) -> {
            PerturbedDevice device = new PerturbedDevice(new CpuDevice(esm.weights(), 2)).scale("s4", 1.05);
            return new VerifyCommand.Opened(new SingleDeviceExecutor(device, 0, new RunStats(), RunListener.NONE),
                    new Verification.DeviceUnderTest("perturbed", "bf16", false), null);
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("verify", "-q", "--threads", "2", "-m", CliRunner.TINY, "-i", fasta.toString(), "--max-relative-error", "0.01");
        assertThat(code).as(err.toString()).isEqualTo(8);
        assertThat(out.toString()).contains("device     perturbed, bf16", "gate: FAILED (--max-relative-error 0.01)")
                .doesNotContain("note");
        assertThat(out.toString().lines().filter(l -> l.matches("mean +2 +6 .*5\\.00e-02 +s4 .*"))).hasSize(1);
        assertThat(err.toString()).contains("esm2j: error: mean 2: relative L2 error 5.00e-02 (s4) is above --max-relative-error 0.01")
                .doesNotContain("\tat ");
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheFlag() {
        CliRunner.run("verify", "-m", CliRunner.TINY, "-i", CliRunner.PROTEINS, "--sample", "0").fails(2, "--sample must be >= 1");
        CliRunner.run("verify", "-m", CliRunner.TINY, "-i", CliRunner.PROTEINS, "--max-cpu-seconds", "-5").fails(2, "--max-cpu-seconds must be");
        CliRunner.run("verify", "-m", CliRunner.TINY, "-i", CliRunner.PROTEINS, "--min-cosine", "2").fails(2, "--min-cosine must be between -1 and 1");
        CliRunner.run("verify", "-m", CliRunner.TINY, "-i", CliRunner.PROTEINS, "--repr-layers", "7").fails(2, "--repr-layers 7 is out of range");
        CliRunner.run("verify", "-i", CliRunner.PROTEINS).fails(2, "--model");
        CliRunner.run("verify", "-m", CliRunner.TINY, "-i", tmp.resolve("missing.fasta").toString()).fails(3, "file not found");
    }

    @Test
    void cudaOnAMachineWithoutAGpuIsADeviceError() {
        org.junit.jupiter.api.Assumptions.assumeFalse(org.esm2j.device.cuda.CudaDevices.discover().usable(), "a GPU is here");
        CliRunner.run("verify", "-m", CliRunner.TINY, "-i", CliRunner.PROTEINS, "--device", "cuda").fails(6, "--device cuda");
    }
}
