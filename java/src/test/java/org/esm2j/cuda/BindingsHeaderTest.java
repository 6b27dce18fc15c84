package org.esm2j.cuda;

import org.esm2j.TestData;
import org.esm2j.cuda.ffi.CUuuid_st;
import org.esm2j.cuda.ffi.CudaRuntimeH;
import org.esm2j.cuda.ffi.Esm2jH;
import org.esm2j.cuda.ffi.cudaDeviceProp;
import org.esm2j.cuda.ffi.esm2j_encode_request;
import org.esm2j.cuda.ffi.esm2j_model_config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The jextract-generated bindings ({@code scripts/jextract.sh}) against the headers they were generated from, read
 * here directly: {@code cuda/include/esm2j.h}, and the CUDA toolkit's {@code cuda_runtime_api.h} (those checks skip
 * where no toolkit is installed; the offset checks skip where no C compiler is). Every function's descriptor, every
 * constant and every struct layout is compared, so a header changed without regenerating fails here, naming the
 * symbol. jextract itself is not needed: the checks read the committed output.
 */
class BindingsHeaderTest {
    private static final Path ROOT = TestData.repo();
    private static final Path ESM2J_H = ROOT.resolve("cuda/include/esm2j.h");
    private static final Path FFI = ROOT.resolve("java/src/main/java/org/esm2j/cuda/ffi");
    private static final Path CUDA_INCLUDE = Path.of(System.getenv().getOrDefault("CUDA_HOME", "/usr/local/cuda"), "include");
    private static final Path CUDA_RUNTIME_H = CUDA_INCLUDE.resolve("cuda_runtime_api.h");
    private static final Path CC = Path.of("/usr/bin/cc");
    private static final String REGENERATE = " (regenerate the bindings: scripts/jextract.sh, see cuda/README.md)";

    private static final Pattern ESM2J_FUNCTION = Pattern.compile("ESM2J_API\\s+([^;(]*?)\\b(esm2j_\\w+)\\s*\\(([^)]*)\\)\\s*;");
    /** As cuda_runtime_api.h declares its functions, once its {@code __dv(default)} arguments are removed. */
    private static final Pattern CUDA_FUNCTION = Pattern.compile("\\b(cudaError_t|const char\\s*\\*)\\s*CUDARTAPI\\s+(cuda\\w+)\\s*\\(([^)]*)\\)\\s*;");

    /** A C function declaration: its return type and its parameters ("type name" each). */
    record Declaration(String name, String returns, List<String> params) {
        /** The layouts its binding must have: return first, then each parameter. */
        List<String> layouts() {
            List<String> layouts = new ArrayList<>();
            layouts.add(layoutOf(returns + " result"));
            params.forEach(p -> layouts.add(layoutOf(p)));
            return layouts;
        }

        String text() {
            return returns + " " + name + "(" + String.join(",", params) + ")";
        }
    }

    // ---- esm2j.h ----

    @Test
    void everyFunctionOfEsm2jHIsBoundWithItsCTypes() throws Exception {
        Map<String, Declaration> declared = declarations(cSource(ESM2J_H), ESM2J_FUNCTION);
        Map<String, List<String>> bound = descriptors("Esm2jH", Esm2jH.class);
        assertThat(bound.keySet()).as("the functions of Esm2jH against those esm2j.h declares" + REGENERATE)
                .containsExactlyInAnyOrderElementsOf(declared.keySet());
        assertThat(declared).containsKeys("esm2j_encode", "esm2j_workspace_gemm_fallbacks");
        checkDescriptors(declared, bound, "Esm2jH");
    }

    @Test
    void everyConstantOfEsm2jHHasTheHeadersValue() throws Exception {
        String header = cSource(ESM2J_H);
        Map<String, Long> declared = new TreeMap<>();
        Matcher define = Pattern.compile("#define (ESM2J_\\w+)[ \\t]+(\\d+)").matcher(header);
        while (define.find()) {
            declared.put(define.group(1), Long.parseLong(define.group(2)));
        }
        Matcher enumerator = Pattern.compile("\\b(ESM2J_\\w+)\\s*=\\s*(\\d+)").matcher(header);
        while (enumerator.find()) {
            declared.put(enumerator.group(1), Long.parseLong(enumerator.group(2)));
        }
        assertThat(declared).containsKeys("ESM2J_ABI_VERSION", "ESM2J_MAX_BATCH_TOKENS", "ESM2J_MAX_BATCH_SEQUENCES", "ESM2J_OK");
        assertThat(constants(Esm2jH.class)).as("the constants of Esm2jH against esm2j.h's" + REGENERATE)
                .containsExactlyInAnyOrderEntriesOf(declared);
    }

    /** Names, order and C types of each struct's fields; the offsets are checked with a C compiler below. */
    @Test
    void everyStructOfEsm2jHHasTheHeadersFields() throws Exception {
        Map<String, GroupLayout> bound = Map.of("esm2j_model_config", esm2j_model_config.layout(),
                "esm2j_encode_request", esm2j_encode_request.layout());
        Map<String, List<String>> declared = new TreeMap<>();
        Matcher struct = Pattern.compile("typedef struct\\s*\\{([^}]*)}\\s*(\\w+)\\s*;").matcher(cSource(ESM2J_H));
        while (struct.find()) {
            List<String> fields = new ArrayList<>();
            for (String field : struct.group(1).split(";")) {
                if (!field.isBlank()) {
                    String f = field.strip();
                    fields.add(f.substring(f.lastIndexOf(f.contains("*") ? '*' : ' ') + 1).strip() + " " + layoutOf(f));
                }
            }
            declared.put(struct.group(2), fields);
        }
        assertThat(bound.keySet()).as("the structs of esm2j.h" + REGENERATE).containsExactlyInAnyOrderElementsOf(declared.keySet());
        for (var s : bound.entrySet()) {
            List<String> fields = s.getValue().memberLayouts().stream().filter(m -> !(m instanceof PaddingLayout))
                    .map(m -> m.name().orElseThrow() + " " + layoutName(m)).toList();
            assertThat(fields).as(s.getKey() + "'s fields (name and layout) against esm2j.h" + REGENERATE)
                    .isEqualTo(declared.get(s.getKey()));
        }
    }

    @Test
    void esm2jStructOffsetsAreTheCompilers(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(CC), "no C compiler at " + CC);
        Map<String, GroupLayout> structs = new LinkedHashMap<>();
        structs.put("esm2j_model_config", esm2j_model_config.layout());
        structs.put("esm2j_encode_request", esm2j_encode_request.layout());
        checkStructLayouts(dir, "#include \"esm2j.h\"", structs, "-I" + ESM2J_H.getParent());
    }

    // ---- cuda_runtime_api.h ----

    /** What the script asks jextract for is what is bound (a list edited without regenerating fails here). */
    @Test
    void theCudaBindingsAreWhatTheScriptSelects() throws Exception {
        String script = Files.readString(ROOT.resolve("scripts/jextract.sh"));
        assertThat(descriptors("CudaRuntimeH", CudaRuntimeH.class).keySet()).as("CudaRuntimeH's functions against cuda_functions in scripts/jextract.sh")
                .containsExactlyInAnyOrderElementsOf(scriptList(script, "cuda_functions"));
        assertThat(constants(CudaRuntimeH.class).keySet()).as("CudaRuntimeH's constants against cuda_constants in scripts/jextract.sh")
                .containsExactlyInAnyOrderElementsOf(scriptList(script, "cuda_constants"));
        assertThat(scriptList(script, "cuda_structs")).containsExactly("cudaDeviceProp", "CUuuid_st");
    }

    @Test
    void everyFunctionOfCudaRuntimeHHasTheToolkitHeadersCTypes() throws Exception {
        assumeTrue(Files.isRegularFile(CUDA_RUNTIME_H), "no CUDA toolkit headers in " + CUDA_INCLUDE);
        Map<String, Declaration> declared = declarations(cSource(CUDA_RUNTIME_H).replaceAll("__dv\\([^()]*\\)", ""), CUDA_FUNCTION);
        Map<String, List<String>> bound = descriptors("CudaRuntimeH", CudaRuntimeH.class);
        assertThat(declared.keySet()).as("CudaRuntimeH's functions declared in " + CUDA_RUNTIME_H).containsAll(bound.keySet());
        declared.keySet().retainAll(bound.keySet());
        checkDescriptors(declared, bound, "CudaRuntimeH");
    }

    @Test
    void everyConstantOfCudaRuntimeHHasTheToolkitsValue(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(CC), "no C compiler at " + CC);
        assumeTrue(Files.isRegularFile(CUDA_RUNTIME_H), "no CUDA toolkit headers in " + CUDA_INCLUDE);
        Map<String, Long> bound = constants(CudaRuntimeH.class);
        StringBuilder prints = new StringBuilder();
        for (String name : bound.keySet()) {
            prints.append("    printf(\"%s %lld\\n\", \"").append(name).append("\", (long long) ").append(name).append(");\n");
        }
        Path src = dir.resolve("cuda_constants.c");
        Files.writeString(src, "#include <stdio.h>\n#include <cuda_runtime_api.h>\nint main(void) {\n" + prints + "    return 0;\n}\n");
        assertThat(bound).as("the constants of CudaRuntimeH against " + CUDA_RUNTIME_H + REGENERATE)
                .containsExactlyInAnyOrderEntriesOf(compileAndRun(dir, src, "-I" + CUDA_INCLUDE));
    }

    /** The offsets Java reads cudaGetDeviceProperties' answer at (its name, totalGlobalMem) come from here. */
    @Test
    void cudaStructLayoutsAreTheCompilers(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(CC), "no C compiler at " + CC);
        assumeTrue(Files.isRegularFile(CUDA_RUNTIME_H), "no CUDA toolkit headers in " + CUDA_INCLUDE);
        Map<String, GroupLayout> structs = new LinkedHashMap<>();
        structs.put("struct cudaDeviceProp", cudaDeviceProp.layout());
        structs.put("struct CUuuid_st", CUuuid_st.layout());
        checkStructLayouts(dir, "#include <cuda_runtime_api.h>", structs, "-I" + CUDA_INCLUDE);
    }

    // ---- reading the headers ----

    /** A header's text without its comments (they name functions and hold example declarations). */
    private static String cSource(Path header) throws Exception {
        return Files.readString(header).replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", "");
    }

    /** The first declaration of each function (cuda_runtime_api.h repeats some under other macros). */
    private static Map<String, Declaration> declarations(String header, Pattern declaration) {
        Map<String, Declaration> out = new TreeMap<>();
        Matcher m = declaration.matcher(header);
        while (m.find()) {
            String returns = m.group(1).strip();
            String name = m.group(2);
            String params = m.group(3).replaceAll("\\s+", " ").strip();
            out.putIfAbsent(name, new Declaration(name, returns,
                    params.isEmpty() || params.equals("void") ? List.of() : Arrays.asList(params.split(","))));
        }
        return out;
    }

    /** The bindings' layout constant for a C declaration "type name" on LP64 Linux (jextract's C_* names). */
    private static String layoutOf(String declaration) {
        String d = declaration.strip();
        if (d.contains("*")) {
            return "C_POINTER";
        }
        String type = d.substring(0, d.lastIndexOf(' ')).replace("const ", "").strip();
        if (type.startsWith("enum ")) {
            return "C_INT";
        }
        return switch (type) {
            case "cudaStream_t", "cudaEvent_t" -> "C_POINTER";
            case "int", "int32_t", "uint32_t", "unsigned int", "cudaError_t" -> "C_INT";
            case "int64_t", "uint64_t", "size_t", "long" -> "C_LONG";
            case "float" -> "C_FLOAT";
            case "double" -> "C_DOUBLE";
            case "char" -> "C_CHAR";
            case "void" -> "void";
            default -> throw new AssertionError("no layout for the C type '" + type + "' in '" + d + "': add it here");
        };
    }

    private static String layoutName(MemoryLayout layout) {
        MemoryLayout l = layout.withoutName();
        if (l.equals(Esm2jH.C_INT)) {
            return "C_INT";
        } else if (l.equals(Esm2jH.C_LONG)) {
            return "C_LONG";
        } else if (l.equals(Esm2jH.C_FLOAT)) {
            return "C_FLOAT";
        } else if (l.equals(Esm2jH.C_DOUBLE)) {
            return "C_DOUBLE";
        } else if (l.equals(Esm2jH.C_POINTER)) {
            return "C_POINTER";
        } else if (l.equals(Esm2jH.C_CHAR)) {
            return "C_CHAR";
        }
        return l.toString();
    }

    /** A bash array of scripts/jextract.sh, e.g. {@code cuda_functions=( ... )}. */
    private static List<String> scriptList(String script, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "=\\(([^)]*)\\)").matcher(script);
        assertThat(m.find()).as(name + " in scripts/jextract.sh").isTrue();
        return Arrays.stream(m.group(1).trim().split("\\s+")).toList();
    }

    // ---- reading the bindings ----

    /**
     * Each function's descriptor, as (return, parameters...) layout names, read from the generated source: reaching
     * it through the class would initialize the holder, which resolves the symbol and so needs the built library.
     */
    private static Map<String, List<String>> descriptors(String className, Class<?> bindings) throws Exception {
        String source = Files.readString(FFI.resolve(className + ".java"));
        Map<String, List<String>> out = new TreeMap<>();
        Matcher m = Pattern.compile("FunctionDescriptor\\.(of|ofVoid)\\(([^;]*?)\\);\\s*public static final MemorySegment ADDR = "
                + "SYMBOL_LOOKUP\\.findOrThrow\\(\"(\\w+)\"\\)").matcher(source);
        while (m.find()) {
            List<String> layouts = new ArrayList<>(Arrays.stream(m.group(2).split(",")).map(String::strip)
                    .map(x -> x.substring(x.lastIndexOf('.') + 1)).filter(x -> !x.isEmpty()).toList());
            if (m.group(1).equals("ofVoid")) {
                layouts.addFirst("void");
            }
            out.put(m.group(3), layouts);
        }
        List<String> withDescriptor = Arrays.stream(bindings.getMethods()).map(Method::getName).filter(n -> n.endsWith("$descriptor"))
                .map(n -> n.substring(0, n.length() - "$descriptor".length())).toList();
        assertThat(out.keySet()).as("descriptors read from " + className + ".java (has jextract's output format changed?)")
                .containsExactlyInAnyOrderElementsOf(withDescriptor);
        return out;
    }

    private static void checkDescriptors(Map<String, Declaration> declared, Map<String, List<String>> bound, String className) {
        for (Declaration d : declared.values()) {
            assertThat(bound.get(d.name())).as(d.name() + ": the (return, parameters...) layouts of " + className + "." + d.name()
                    + " against the header's " + d.text() + REGENERATE).isEqualTo(d.layouts());
        }
    }

    /** Public static no-argument accessors that are not functions: jextract's constants. */
    private static Map<String, Long> constants(Class<?> bindings) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        for (Method m : bindings.getMethods()) {
            String name = m.getName();
            if (Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0 && !name.contains("$") && !isFunction(bindings, name)) {
                out.put(name, ((Number) m.invoke(null)).longValue());
            }
        }
        return out;
    }

    private static boolean isFunction(Class<?> bindings, String name) {
        return Arrays.stream(bindings.getMethods()).anyMatch(x -> x.getName().equals(name + "$descriptor"));
    }

    // ---- what a C compiler says ----

    /** Each struct's size, and each named field's offset and size, against {@code sizeof} and {@code offsetof}. */
    private static void checkStructLayouts(Path dir, String include, Map<String, GroupLayout> structs, String... flags) throws Exception {
        StringBuilder prints = new StringBuilder();
        Map<String, Long> bound = new TreeMap<>();
        for (var s : structs.entrySet()) {
            String type = s.getKey();
            GroupLayout layout = s.getValue();
            prints.append("    printf(\"%s %zu\\n\", \"").append(type.replace(' ', '_')).append("\", sizeof(").append(type).append("));\n");
            bound.put(type.replace(' ', '_'), layout.byteSize());
            for (MemoryLayout member : layout.memberLayouts()) {
                if (member instanceof PaddingLayout) {
                    continue;
                }
                String field = member.name().orElseThrow();
                String key = type.replace(' ', '_') + "." + field;
                prints.append("    printf(\"%s %zu\\n\", \"").append(key).append(".offset\", offsetof(").append(type).append(", ").append(field).append("));\n");
                prints.append("    printf(\"%s %zu\\n\", \"").append(key).append(".size\", sizeof(((").append(type).append(" *) 0)->").append(field).append("));\n");
                bound.put(key + ".offset", layout.byteOffset(groupElement(field)));
                bound.put(key + ".size", member.byteSize());
            }
        }
        Path src = dir.resolve("layouts.c");
        Files.writeString(src, "#include <stdio.h>\n#include <stddef.h>\n" + include + "\nint main(void) {\n" + prints + "    return 0;\n}\n");
        assertThat(bound).as("struct sizes, field offsets and field sizes of the bindings against the C compiler's" + REGENERATE)
                .containsExactlyInAnyOrderEntriesOf(compileAndRun(dir, src, flags));
    }

    /** Compiles {@code src} and runs it; its output is "name value" lines. */
    private static Map<String, Long> compileAndRun(Path dir, Path src, String... flags) throws Exception {
        Path exe = dir.resolve(src.getFileName().toString().replace(".c", ""));
        List<String> command = new ArrayList<>(List.of(CC.toString()));
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
}
