package org.esm2j.device.cuda;

import org.esm2j.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where libesm2j is looked for, and how every way of not loading it reads. */
class NativeLibraryTest {

    @Test
    void anExplicitLocationIsTheOnlyOneTried(@TempDir Path dir) {
        List<NativeLibrary.Candidate> c = NativeLibrary.candidates("/opt/x/libesm2j.so", "/env/libesm2j.so", dir, List.of(Path.of("/usr/lib")));
        assertThat(c).extracting(NativeLibrary.Candidate::path).containsExactly(Path.of("/opt/x/libesm2j.so"));
        c = NativeLibrary.candidates(null, "/env/libesm2j.so", dir, List.of(Path.of("/usr/lib")));
        assertThat(c).extracting(NativeLibrary.Candidate::path).containsExactly(Path.of("/env/libesm2j.so"));
    }

    @Test
    void otherwiseBesideTheJarThenTheRepositoryBuildThenSystemPaths() {
        Path jar = TestData.repo().resolve("java/target/esm2j.jar");
        List<NativeLibrary.Candidate> c = NativeLibrary.candidates(null, " ", jar, List.of(Path.of("/usr/local/lib"), Path.of("/usr/lib")));
        assertThat(c).extracting(NativeLibrary.Candidate::path).containsExactly(
                TestData.repo().resolve("java/target/libesm2j.so"),
                TestData.repo().resolve("build/native/libesm2j.so"),
                Path.of("/usr/local/lib/libesm2j.so"),
                Path.of("/usr/lib/libesm2j.so"));
    }

    @Test
    void aMissingExplicitFileIsTheReasonNoFallback(@TempDir Path dir) {
        Path missing = dir.resolve("nope/libesm2j.so");
        NativeLibrary.Status s = NativeLibrary.loadFirst(NativeLibrary.candidates(missing.toString(), null, null, List.of()));
        assertThat(s.loaded()).isFalse();
        assertThat(s.error()).isEqualTo("-Desm2j.library=" + missing + ": no such file").doesNotContain("\n");
    }

    @Test
    void nothingFoundSaysHowToBuildIt(@TempDir Path dir) {
        NativeLibrary.Status s = NativeLibrary.loadFirst(NativeLibrary.candidates(null, null, dir.resolve("x.jar"), List.of(dir)));
        assertThat(s.loaded()).isFalse();
        assertThat(s.path()).isNull();
        assertThat(s.error()).contains("libesm2j.so not found", "scripts/build-native.sh", "ESM2J_LIBRARY");
    }

    @Test
    void aFileThatIsNotALibraryGivesOneLine(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("libesm2j.so");
        Files.writeString(fake, "not an ELF file\n");
        NativeLibrary.Status s = NativeLibrary.loadFirst(NativeLibrary.candidates(fake.toString(), null, null, List.of()));
        assertThat(s.loaded()).isFalse();
        assertThat(s.error()).startsWith("cannot load " + fake).doesNotContain("\n");
    }

    @Test
    void missingCudaDependenciesAreNamedWithWhatToInstall() {
        assertThat(NativeLibrary.explain("libcublasLt.so.13: cannot open shared object file: No such file or directory"))
                .contains("cuBLAS 13 is missing", "pip install nvidia-cublas");
        assertThat(NativeLibrary.explain("libcudart.so.13: cannot open shared object file")).contains("CUDA 13 runtime is missing");
        assertThat(NativeLibrary.explain("libcudnn.so.9: cannot open shared object file")).contains("cuDNN 9 is missing");
        assertThat(NativeLibrary.explain("something else")).isEqualTo("something else");
        assertThat(NativeLibrary.oneLine("a\n  b\r\nc")).isEqualTo("a b c");
    }
}
