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
        checkFunctions(Files.readString(MIRROR.resolve("esm2j.h")), Pattern.compile("ESM2J_API\\s+[^;(]*?\\b(esm2j_\\w+)\\(([^)]*)\\)"), Esm2jH.class, 18);
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

    /**
     * The arity test cannot see an int32_t bound as a long or a size_t as an int (on x86-64 either passes the
     * wrong register width: garbage in the high half). This compares every parameter's and return's layout with
     * the header's C type. It reads the descriptors from the bindings' source: reaching them through the classes
     * would resolve the symbols, which needs the built library.
     */
    @Test
    void everyFunctionDescriptorHasTheCTypesOfTheHeader() throws Exception {
        int esm = checkDescriptors(Files.readString(MIRROR.resolve("esm2j.h")),
                Pattern.compile("ESM2J_API\\s+([^;(]*?)\\b(esm2j_\\w+)\\(([^)]*)\\)"), "Esm2jH");
        int cuda = checkDescriptors(Files.readString(MIRROR.resolve("cuda_runtime_subset.h")),
                Pattern.compile("^(cudaError_t|const char\\*)\\s+(cuda\\w+)\\(([^)]*)\\)", Pattern.MULTILINE), "CudaRuntimeH");
        assertThat(esm).isEqualTo(18);
        assertThat(cuda).isEqualTo(28);
    }

    private static int checkDescriptors(String header, Pattern declaration, String bindings) throws Exception {
        String source = Files.readString(TestData.repo().resolve("java/src/main/java/org/esm2j/cuda/ffi/" + bindings + ".java"));
        Map<String, List<String>> descriptors = new LinkedHashMap<>();
        Matcher desc = Pattern.compile("FunctionDescriptor\\.(of|ofVoid)\\(([^;]*?)\\);\\s*public static final MemorySegment ADDR = \\w+"
                + "\\.findOrThrow\\(\"(\\w+)\"\\)").matcher(source);
        while (desc.find()) {
            List<String> layouts = new java.util.ArrayList<>(Arrays.stream(desc.group(2).split(",")).map(String::strip)
                    .map(x -> x.substring(x.lastIndexOf('.') + 1)).filter(x -> !x.isEmpty()).toList());
            if (desc.group(1).equals("ofVoid")) {
                layouts.addFirst("void");
            }
            descriptors.put(desc.group(3), layouts);
        }
        // Declarations continued on the next line (after a comma) joined into one.
        Matcher m = declaration.matcher(header.replaceAll(",\\s*\\n\\s*", ", "));
        int found = 0;
        while (m.find()) {
            found++;
            String name = m.group(2);
            List<String> layouts = descriptors.get(name);
            assertThat(layouts).as(name + "'s FunctionDescriptor in " + bindings).isNotNull();
            String params = m.group(3).strip();
            List<String> types = params.isEmpty() || params.equals("void") ? List.of() : Arrays.asList(params.split(","));
            List<String> expected = new java.util.ArrayList<>();
            expected.add(layoutOf(m.group(1) + " result"));
            types.forEach(t -> expected.add(layoutOf(t)));
            assertThat(layouts).as(name + ": (return, parameters...) for " + m.group(1) + " " + name + "(" + params + ")")
                    .isEqualTo(expected);
        }
        return found;
    }

    /** The bindings' layout constant for a C declaration "type name" on LP64 Linux. */
    private static String layoutOf(String declaration) {
        String d = declaration.strip();
        String type = d.contains("*") ? "*" : d.substring(0, d.lastIndexOf(' ')).replace("const ", "").strip();
        return switch (type) {
            case "*", "cudaStream_t", "cudaEvent_t" -> "C_POINTER";
            case "int", "int32_t", "uint32_t", "unsigned int", "cudaError_t" -> "C_INT";
            case "int64_t", "uint64_t", "size_t" -> "C_LONG";
            case "float" -> "C_FLOAT";
            case "void" -> "void";
            default -> throw new AssertionError("no layout for the C type '" + type + "' in '" + d + "': add it here");
        };
    }

    /**
     * The subset header's constants and the cudaDeviceProp offset discovery reads, against the installed CUDA
     * toolkit's own headers (skipped where none is installed): they were copied by hand.
     */
    @Test
    void cudaRuntimeConstantsMatchTheInstalledToolkit(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cc")), "no C compiler");
        Path include = Path.of(System.getenv().getOrDefault("CUDA_HOME", "/usr/local/cuda"), "include");
        assumeTrue(Files.isRegularFile(include.resolve("cuda_runtime_api.h")), "no CUDA toolkit headers in " + include);
        Matcher define = Pattern.compile("#define (cuda\\w+)\\s+(0x[0-9a-fA-F]+|\\d+)").matcher(Files.readString(MIRROR.resolve("cuda_runtime_subset.h")));
        StringBuilder prints = new StringBuilder();
        List<String> names = new java.util.ArrayList<>();
        while (define.find()) {
            names.add(define.group(1));
            prints.append("    printf(\"%s %lld\\n\", \"").append(define.group(1)).append("\", (long long) ").append(define.group(1)).append(");\n");
        }
        assertThat(names).hasSizeGreaterThan(15);
        Path src = dir.resolve("cuda_constants.c");
        Files.writeString(src, "#include <stdio.h>\n#include <stddef.h>\n#include <cuda_runtime_api.h>\nint main(void) {\n" + prints
                + "    printf(\"totalGlobalMem %zu\\n\", offsetof(struct cudaDeviceProp, totalGlobalMem));\n    return 0;\n}\n");
        Map<String, Long> c = compileAndRun(dir, src, "-I" + include);
        for (String name : names) {
            assertThat(((Number) CudaRuntimeH.class.getMethod(name).invoke(null)).longValue()).as(name).isEqualTo(c.get(name));
        }
        assertThat(CudaDevices.TOTAL_GLOBAL_MEM_OFFSET).as("offsetof(cudaDeviceProp, totalGlobalMem)").isEqualTo(c.get("totalGlobalMem"));
    }

    /** Compiles {@code src} and runs it; its output is "name value" lines. */
    private static Map<String, Long> compileAndRun(Path dir, Path src, String... flags) throws Exception {
        Path exe = dir.resolve(src.getFileName().toString().replace(".c", ""));
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/cc"));
        command.addAll(List.of(flags));
        command.addAll(List.of(src.toString(), "-o", exe.toString()));
        Process cc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes());
        assertThat(cc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cc.exitValue()).as(ccOut).isZero();
        Process run = new ProcessBuilder(exe.toString()).start();
        Map<String, Long> c = new LinkedHashMap<>();
        for (String line : new String(run.getInputStream().readAllBytes()).split("\n")) {
            String[] kv = line.split(" ");
            c.put(kv[0], Long.parseLong(kv[1]));
        }
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return c;
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
        Map<String, Long> c = compileAndRun(dir, src, "-I" + MIRROR);
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
