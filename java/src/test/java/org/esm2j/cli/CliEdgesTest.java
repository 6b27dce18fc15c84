package org.esm2j.cli;

import org.esm2j.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.esm2j.cli.CliRunner.PROTEINS;
import static org.esm2j.cli.CliRunner.TINY;
import static org.esm2j.cli.CliRunner.embed;

/** The rough edges a new user hit on the command line (issue 15, item 6). */
class CliEdgesTest {
    @TempDir
    Path tmp;

    @Test
    void everySubcommandPrintsTheVersion() {
        for (String sub : Main.commandLine().getSubcommands().keySet()) {
            if (sub.equals("help")) {
                continue;
            }
            for (String flag : List.of("-V", "--version")) {
                CliRunner.Result r = CliRunner.run(sub, flag).succeeds();
                assertThat(r.out()).as("%s %s", sub, flag).startsWith("esm2j ").contains("Java");
            }
        }
    }

    @Test
    void helpTextsAreWrittenToFitTheHelpWidthSoThatNothingIsReflowed() {
        // picocli wraps at 80 columns: a description line longer than that is broken in two, leaving a stub line.
        CommandLine cl = Main.commandLine();
        for (var e : cl.getSubcommands().entrySet()) {
            var usage = e.getValue().getCommandSpec().usageMessage();
            for (String line : concat(usage.description(), usage.footer())) {
                assertThat(line.length()).as("%s help line: %s", e.getKey(), line).isLessThanOrEqualTo(79);
            }
            String help = CliRunner.run(e.getKey(), "--help").out();
            assertThat(help.lines()).as("%s --help", e.getKey()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        }
    }

    @Test
    void eachCommandListsItsOwnExitCodesAndTheTopLevelAllOfThem() {
        assertThat(CliRunner.run("--help").out()).contains("network problem", "bad input", "device problem");
        assertThat(CliRunner.run("embed", "--help").out()).contains("bad input", "device problem").doesNotContain("network problem");
        assertThat(CliRunner.run("fetch", "--help").out()).contains("network problem").doesNotContain("device problem", "bad input");
        assertThat(CliRunner.run("merge", "--help").out()).contains("a shard missing").doesNotContain("network problem", "device problem");
        assertThat(CliRunner.run("devices", "--help").out()).doesNotContain("network problem", "bad input", "output problem");
    }

    @Test
    void theCpuDefaultOfToksPerBatchIsStated() {
        assertThat(CliRunner.run("embed", "--help").out().replaceAll("\\s+", " "))
                .contains("0 (default) = automatic: on the CPU " + org.esm2j.device.cpu.CpuDevice.DEFAULT_TOKEN_BUDGET);
    }

    @Test
    void includeSwallowingThePositionalsIsNamed() {
        Path out = tmp.resolve("out");
        embed("--include", "mean", TINY, PROTEINS, out.toString())
                .fails(ExitCode.USAGE.code(), "--include took '" + TINY + " " + PROTEINS + " " + out + "'", "after the positional");
        embed("--include", "mean", "--", TINY, PROTEINS, out.toString()).succeeds();
        assertThat(out.resolve("mean.2.npy")).exists();
    }

    @Test
    void aSafetensorsOutputThatNamesADirectoryIsRefused() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("stdir"));
        embed("-m", TINY, "-i", PROTEINS, "-o", dir + "/", "--format", "safetensors")
                .fails(ExitCode.USAGE.code(), "--output " + dir + "/", "writes one file", dir.resolve("embeddings.safetensors").toString());
        embed("-m", TINY, "-i", PROTEINS, "-o", dir.toString(), "--format", "safetensors").fails(ExitCode.USAGE.code(), "names a directory");
        embed("-m", TINY, "-i", PROTEINS, "-o", tmp.resolve("new") + "/", "--format", "safetensors").fails(ExitCode.USAGE.code(), "names a directory");
        assertThat(tmp.resolve("new")).doesNotExist();
        assertThat(CliRunner.listing(dir)).isEmpty();
    }

    @Test
    void aBinaryConfigJsonIsSaidNotToBeJsonText() throws IOException {
        Path model = Files.createDirectory(tmp.resolve("model"));
        Files.copy(Path.of(TINY, "model.safetensors"), model.resolve("model.safetensors"));
        Files.write(model.resolve("config.json"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x7b, (byte) 0x80});
        CliRunner.Result r = embed("-m", model.toString(), "-i", PROTEINS, "-o", tmp.resolve("out").toString())
                .fails(ExitCode.BAD_MODEL.code(), model.resolve("config.json") + ": not UTF-8 JSON text");
        assertThat(r.err()).doesNotContain("Input length");
    }

    @Test
    void aFinishedDatasetOfOtherSettingsIsNotOfferedToBeContinued() {
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", PROTEINS, "-o", out.toString()).succeeds();
        CliRunner.Result r = embed("-m", TINY, "-i", PROTEINS, "-o", out.toString(), "--repr-layers", "1")
                .fails(ExitCode.BAD_OUTPUT.code(), "a finished dataset made with other settings", "--overwrite");
        assertThat(r.err()).doesNotContain("continue that work");
    }

    private static List<String> concat(String[] a, String[] b) {
        return java.util.stream.Stream.concat(Arrays.stream(a), Arrays.stream(b)).toList();
    }
}
