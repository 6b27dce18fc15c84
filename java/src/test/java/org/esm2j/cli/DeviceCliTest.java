package org.esm2j.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.esm2j.TestData;
import org.esm2j.device.cuda.NativeLibrary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Device choice on the command line of a machine without a GPU: auto falls back to the CPU and says why,
 * cuda fails with exit code 6 and the reason, devices --json reports the native library's state.
 */
class DeviceCliTest {
    private static final Path BUILT = TestData.repo().resolve("build/native/libesm2j.so");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private String savedProperty;

    @BeforeEach
    void captureLogs() {
        savedProperty = System.getProperty(NativeLibrary.PROPERTY);
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.esm2j.schedule.DeviceSelection.class)).addAppender(logs);
    }

    @AfterEach
    void restore() {
        ((Logger) LoggerFactory.getLogger(org.esm2j.schedule.DeviceSelection.class)).detachAppender(logs);
        if (savedProperty == null) {
            System.clearProperty(NativeLibrary.PROPERTY);
        } else {
            System.setProperty(NativeLibrary.PROPERTY, savedProperty);
        }
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private String[] embed(Path output, String... extra) {
        List<String> a = new ArrayList<>(List.of("embed", "-m", TestData.tiny().toString(), "-i", TestData.proteins().toString(),
                "-o", output.toString(), "--progress", "none"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private List<String> messages() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void autoFallsBackToTheCpuAndSaysWhy(@TempDir Path dir) {
        Path missing = dir.resolve("lib/libesm2j.so");
        System.setProperty(NativeLibrary.PROPERTY, missing.toString());
        int code = run(embed(dir.resolve("out")));
        assertThat(code).as(err.toString()).isZero();
        assertThat(messages()).anySatisfy(m -> assertThat(m)
                .startsWith("device: CPU (").contains("no GPU: -Desm2j.library=" + missing + ": no such file"));
        assertThat(dir.resolve("out/manifest.json")).exists();
    }

    @Test
    void autoWithTheRealLibraryAndNoGpuSaysTheDriverIsMissing(@TempDir Path dir) {
        assumeTrue(Files.isRegularFile(BUILT), "libesm2j.so not built");
        System.setProperty(NativeLibrary.PROPERTY, BUILT.toString());
        assumeTrue(!org.esm2j.device.cuda.CudaDevices.discover().usable(), "a GPU is present");
        int code = run(embed(dir.resolve("out")));
        assertThat(code).as(err.toString()).isZero();
        assertThat(messages()).anySatisfy(m -> assertThat(m).startsWith("device: CPU (").contains("no GPU: no usable GPU: "));
    }

    @Test
    void cudaFailsWithExitCode6AndTheReason(@TempDir Path dir) {
        Path missing = dir.resolve("lib/libesm2j.so");
        System.setProperty(NativeLibrary.PROPERTY, missing.toString());
        int code = run(embed(dir.resolve("out"), "--device", "cuda"));
        assertThat(code).isEqualTo(6);
        assertThat(err.toString()).isEqualTo("esm2j: error: --device cuda: -Desm2j.library=" + missing + ": no such file"
                + " (--device cpu runs on the CPU; --device auto falls back to it)" + System.lineSeparator());
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void cudaWithTheRealLibraryAndNoGpuFailsWithTheDriversReason(@TempDir Path dir) {
        assumeTrue(Files.isRegularFile(BUILT), "libesm2j.so not built");
        System.setProperty(NativeLibrary.PROPERTY, BUILT.toString());
        assumeTrue(!org.esm2j.device.cuda.CudaDevices.discover().usable(), "a GPU is present");
        int code = run(embed(dir.resolve("out"), "--device", "cuda:0,1"));
        assertThat(code).isEqualTo(6);
        assertThat(err.toString()).startsWith("esm2j: error: --device cuda:0,1: no usable GPU: ").doesNotContain("\tat ");
    }

    @Test
    void contactsOnTheGpuAreRefusedAndBadChoicesAreUsageErrors(@TempDir Path dir) {
        assertThat(run(embed(dir.resolve("a"), "--device", "cuda", "--include", "contacts"))).isEqualTo(2);
        assertThat(err.toString()).contains("--include contacts is computed on the CPU only");
        assertThat(run(embed(dir.resolve("b"), "--device", "tpu"))).isEqualTo(2);
        assertThat(err.toString()).contains("--device tpu: expected auto, cpu, cuda or cuda:N[,M...]");
        assertThat(run(embed(dir.resolve("c"), "--dtype", "bf17"))).isEqualTo(2);
        assertThat(err.toString()).contains("--dtype bf17: expected auto, bf16, fp16 or fp32");
    }

    @Test
    void autoWithContactsUsesTheCpuAndSaysSo(@TempDir Path dir) {
        assertThat(run(embed(dir.resolve("out"), "--include", "mean", "contacts", "--dtype", "bf16"))).as(err.toString()).isZero();
        assertThat(messages()).anySatisfy(m -> assertThat(m).contains("--include contacts is computed on the CPU only"));
        assertThat(messages()).anySatisfy(m -> assertThat(m).isEqualTo("--dtype bf16 applies to GPUs; the CPU computes in fp32"));
    }

    @Test
    void devicesJsonReportsAMissingLibrary(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("libesm2j.so");
        System.setProperty(NativeLibrary.PROPERTY, missing.toString());
        assertThat(run("devices", "--json")).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.propertyNames()).containsExactly("nativeLibrary", "devices");
        JsonNode lib = root.get("nativeLibrary");
        assertThat(lib.propertyNames()).containsExactly("loaded", "path", "error");
        assertThat(lib.get("loaded").asBoolean()).isFalse();
        assertThat(lib.get("path").asString()).isEqualTo(missing.toString());
        assertThat(lib.get("error").asString()).isEqualTo("-Desm2j.library=" + missing + ": no such file");
        assertThat(root.get("devices").isArray()).isTrue();
        assertThat(root.get("devices").size()).isZero();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void devicesJsonReportsTheBuiltLibrary() throws Exception {
        assumeTrue(Files.isRegularFile(BUILT), "libesm2j.so not built");
        System.setProperty(NativeLibrary.PROPERTY, BUILT.toString());
        assertThat(run("devices", "--json")).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        JsonNode lib = root.get("nativeLibrary");
        assertThat(lib.get("loaded").asBoolean()).isTrue();
        assertThat(lib.get("path").asString()).isEqualTo(BUILT.toString());
        if (root.get("devices").isEmpty()) {
            assertThat(lib.get("error").asString()).startsWith("no usable GPU: ");
        } else {
            assertThat(lib.get("error").isNull()).isTrue();
            for (JsonNode d : root.get("devices")) {
                assertThat(d.propertyNames()).contains("id", "name", "computeCapability", "multiprocessors", "totalMemoryBytes", "bf16",
                        "defaultDtype");
            }
        }
    }

    @Test
    void devicesTableSaysWhatTheCpuWouldDo(@TempDir Path dir) {
        System.setProperty(NativeLibrary.PROPERTY, dir.resolve("libesm2j.so").toString());
        assertThat(run("devices")).isZero();
        assertThat(out.toString()).contains("Native library: not loaded", "no such file", "CPU: ", "what --device auto uses here");
    }
}
