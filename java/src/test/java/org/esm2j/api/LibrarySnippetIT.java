package org.esm2j.api;

import org.esm2j.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library as a user gets it: the thin jar ({@code java/target/esm2j-VERSION-lib.jar}) holds no command-line
 * dependency, and the README's snippet compiles against it as written and runs on the bundled tiny model with the
 * SLF4J API as the only other jar. Runs after {@code package} (failsafe), when the jar exists.
 */
class LibrarySnippetIT {
    private static Path libraryJar;
    private static Path slf4jApi;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findJars() throws IOException {
        try (Stream<Path> s = Files.list(TestData.repo().resolve("java/target"))) {
            libraryJar = s.filter(p -> p.getFileName().toString().matches("esm2j-.*-lib\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no java/target/esm2j-*-lib.jar: the package phase did not build the library jar"));
        }
        slf4jApi = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(Path::of).filter(p -> p.getFileName().toString().startsWith("slf4j-api")).findFirst()
                .orElseThrow(() -> new AssertionError("slf4j-api is not on the test class path"));
    }

    @Test
    void theLibraryJarHoldsNoCommandLineDependencyAndNoUnrelocatedJackson() throws IOException {
        try (ZipFile jar = new ZipFile(libraryJar.toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertThat(names).contains("org/esm2j/api/Esm2j.class", "org/esm2j/device/cpu/CpuEncoder.class")
                    .anyMatch(n -> n.startsWith("org/esm2j/shaded/jackson/"));
            assertThat(names).noneMatch(n -> n.startsWith("picocli/") || n.startsWith("ch/qos/") || n.startsWith("org/jline/")
                    || n.startsWith("org/esm2j/cli/") || n.startsWith("org/esm2j/progress/") || n.contains("tools/jackson/")
                    || n.startsWith("com/fasterxml/") || n.equals("logback.xml") || n.startsWith("org/slf4j/"));
        }
    }

    @Test
    void theReadmeSnippetCompilesAsWrittenAndRuns() throws Exception {
        Path classes = compileSnippet();
        Result r = run(classes, true);
        assertThat(r.code).as("exit code; stderr: %s", r.err).isZero();
        assertThat(r.out).contains("p1: 10 residues, 640 floats", "p2: 5 residues, 320 floats", "64 floats; 2 mean embeddings");
    }

    @Test
    void withoutTheVectorModuleTheSnippetFailsWithOneSentence() throws Exception {
        Path classes = compileSnippet();
        Result r = run(classes, false);
        assertThat(r.code).isNotZero();
        assertThat(r.err).contains("org.esm2j.Esm2jException", "the CPU encoder needs the Vector API", "--add-modules jdk.incubator.vector")
                .doesNotContain("NoClassDefFoundError");
    }

    /** The first java block of the README's "Library API" section, compiled against the library jar only. */
    private Path compileSnippet() throws IOException {
        String readme = Files.readString(TestData.repo().resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Library API"));
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertThat(block.find()).as("a java block in the Library API section").isTrue();
        String source = block.group(1);
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertThat(name.find()).as("the snippet is a whole class, imports included").isTrue();
        Path src = tmp.resolve(name.group(1) + ".java");
        Files.writeString(src, source);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int code = ToolProvider.getSystemJavaCompiler().run(null, diagnostics, diagnostics,
                "-cp", libraryJar.toString(), "-d", classes.toString(), src.toString());
        assertThat(code).as("javac of the README snippet: %s", diagnostics.toString(StandardCharsets.UTF_8)).isZero();
        return classes;
    }

    private record Result(int code, String out, String err) {
    }

    private Result run(Path classes, boolean vectorModule) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (vectorModule) {
            command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp",
                String.join(java.io.File.pathSeparator, libraryJar.toString(), slf4jApi.toString(), classes.toString()),
                "EmbedProteins", TestData.repo().resolve("examples/models/esm2-tiny-L2-E64-H4").toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("ESM2J_LIBRARY", tmp.resolve("no-such-library.so").toString()); // the CPU, whatever this machine has
        pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the snippet finished").isTrue();
        return new Result(p.exitValue(), Files.readString(tmp.resolve("out.txt")), Files.readString(tmp.resolve("err.txt")));
    }
}
