package org.esm2j.cuda;

import org.esm2j.TestData;
import org.esm2j.cuda.ffi.CudaRuntimeH;
import org.esm2j.cuda.ffi.Esm2jH;
import org.esm2j.cuda.ffi.esm2j_encode_request;
import org.esm2j.cuda.ffi.esm2j_model_config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hand-written bindings against the headers they mirror: a change to cuda/include/esm2j.h fails here until
 * the bindings are regenerated (scripts/jextract.sh) or edited, and the copy in java/src/main/jextract updated.
 */
class BindingsMirrorTest {
    private static final Path MIRROR = TestData.repo().resolve("java/src/main/jextract");

    @Test
    void theMirroredHeaderIsTheLibrarysHeader() throws Exception {
        assertThat(Files.readString(MIRROR.resolve("esm2j.h")))
                .as("java/src/main/jextract/esm2j.h must equal cuda/include/esm2j.h: copy it and regenerate the bindings")
                .isEqualTo(Files.readString(TestData.repo().resolve("cuda/include/esm2j.h")));
    }

    @Test
    void everyConstantOfEsm2jHMatchesTheHeader() throws Exception {
        String header = Files.readString(MIRROR.resolve("esm2j.h"));
        Map<String, Long> constants = new LinkedHashMap<>();
        Matcher define = Pattern.compile("#define (ESM2J_\\w+) (\\d+)").matcher(header);
        while (define.find()) {
            constants.put(define.group(1), Long.parseLong(define.group(2)));
        }
        Matcher enumerator = Pattern.compile("(ESM2J_\\w+)\\s*=\\s*(\\d+)").matcher(header);
        while (enumerator.find()) {
            constants.put(enumerator.group(1), Long.parseLong(enumerator.group(2)));
        }
        assertThat(constants).hasSizeGreaterThan(40);
        for (var c : constants.entrySet()) {
            Method m = Esm2jH.class.getMethod(c.getKey());
            assertThat(((Number) m.invoke(null)).longValue()).as(c.getKey()).isEqualTo(c.getValue());
        }
    }

    @Test
    void everyFunctionOfTheHeadersHasAWrapperWithItsArity() throws Exception {
        checkFunctions(Files.readString(MIRROR.resolve("esm2j.h")), Pattern.compile("ESM2J_API\\s+[^;(]*?\\b(esm2j_\\w+)\\(([^)]*)\\)"), Esm2jH.class, 17);
        checkFunctions(Files.readString(MIRROR.resolve("cuda_runtime_subset.h")),
                Pattern.compile("^(?:cudaError_t|const char\\*)\\s+(cuda\\w+)\\(([^)]*)\\)", Pattern.MULTILINE), CudaRuntimeH.class, 28);
    }

    private static void checkFunctions(String header, Pattern declaration, Class<?> bindings, int expected) {
        Matcher m = declaration.matcher(header);
        int found = 0;
        while (m.find()) {
            found++;
            String name = m.group(1);
            String params = m.group(2).strip();
            int arity = params.isEmpty() || params.equals("void") ? 0 : params.split(",").length;
            List<Method> wrappers = Arrays.stream(bindings.getMethods())
                    .filter(x -> x.getName().equals(name) && Modifier.isStatic(x.getModifiers())).toList();
            assertThat(wrappers).as(name + " in " + bindings.getSimpleName()).hasSize(1);
            assertThat(wrappers.getFirst().getParameterCount()).as(name + " arity").isEqualTo(arity);
        }
        assertThat(found).isEqualTo(expected);
    }

    @Test
    void structLayoutsMatchWhatACCompilerLaysOut(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cc")), "no C compiler");
        Path src = dir.resolve("offsets.c");
        Files.writeString(src, """
                #include <stdio.h>
                #include <stddef.h>
                #include "esm2j.h"
                #define F(s, f) printf(#s "." #f " %zu\\n", offsetof(s, f));
                int main(void) {
                    printf("esm2j_model_config %zu\\n", sizeof(esm2j_model_config));
                    printf("esm2j_encode_request %zu\\n", sizeof(esm2j_encode_request));
                    F(esm2j_model_config, num_layers) F(esm2j_model_config, hidden_size) F(esm2j_model_config, num_heads)
                    F(esm2j_model_config, intermediate_size) F(esm2j_model_config, vocab_size) F(esm2j_model_config, layer_norm_eps)
                    F(esm2j_model_config, token_dropout) F(esm2j_model_config, mask_token_id) F(esm2j_model_config, compute_dtype)
                    F(esm2j_encode_request, tokens) F(esm2j_encode_request, n_tokens) F(esm2j_encode_request, cu_seqlens)
                    F(esm2j_encode_request, n_seqs) F(esm2j_encode_request, repr_layers) F(esm2j_encode_request, n_repr_layers)
                    F(esm2j_encode_request, outputs) F(esm2j_encode_request, mean) F(esm2j_encode_request, bos)
                    F(esm2j_encode_request, per_token) F(esm2j_encode_request, logits) F(esm2j_encode_request, outputs_on_device)
                    return 0;
                }
                """);
        Path exe = dir.resolve("offsets");
        Process cc = new ProcessBuilder("/usr/bin/cc", "-I" + MIRROR, src.toString(), "-o", exe.toString()).redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes());
        assertThat(cc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cc.exitValue()).as(ccOut).isZero();
        Process run = new ProcessBuilder(exe.toString()).start();
        Map<String, Long> c = new LinkedHashMap<>();
        for (String line : new String(run.getInputStream().readAllBytes()).split("\n")) {
            String[] kv = line.split(" ");
            c.put(kv[0], Long.parseLong(kv[1]));
        }
        assertThat(esm2j_model_config.sizeof()).isEqualTo(c.get("esm2j_model_config"));
        assertThat(esm2j_encode_request.sizeof()).isEqualTo(c.get("esm2j_encode_request"));
        for (var e : c.entrySet()) {
            if (!e.getKey().contains(".")) {
                continue;
            }
            String[] sf = e.getKey().split("\\.");
            Class<?> struct = sf[0].equals("esm2j_model_config") ? esm2j_model_config.class : esm2j_encode_request.class;
            long offset = (long) struct.getMethod(sf[1] + "$offset").invoke(null);
            long byLayout = ((java.lang.foreign.GroupLayout) struct.getMethod("layout").invoke(null))
                    .byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement(sf[1]));
            assertThat(offset).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(byLayout).as(e.getKey() + " in the layout").isEqualTo(e.getValue());
        }
    }
}
