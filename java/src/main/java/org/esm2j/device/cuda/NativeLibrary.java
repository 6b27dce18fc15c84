package org.esm2j.device.cuda;

import org.esm2j.device.cuda.ffi.CudaRuntimeH;
import org.esm2j.device.cuda.ffi.Esm2jH;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds and loads {@code libesm2j.so} (the CUDA backend) and the CUDA runtime it links, once per JVM.
 *
 * <p>Where it looks, in order:
 * <ol>
 *   <li>{@code -Desm2j.library=PATH}, then the {@code ESM2J_LIBRARY} environment variable (a file; when given
 *       and missing, that is the answer: no silent fallback to another copy);</li>
 *   <li>beside the jar (or the classes folder) and in {@code build/native/} of the repository it sits in;</li>
 *   <li>the system paths: {@code java.library.path}, {@code LD_LIBRARY_PATH}, /usr/local/lib, /usr/lib64,
 *       /usr/lib/x86_64-linux-gnu, /usr/lib.</li>
 * </ol>
 * The library links {@code libcudart.so.13} dynamically; {@link org.esm2j.device.cuda.ffi.CudaRuntimeH} binds that
 * very file (found in {@code /proc/self/maps} once libesm2j is loaded), so Java's streams, events and pinned
 * buffers live in the same runtime and contexts as the library's.
 *
 * <p>Every failure becomes a {@link Status} with a one-line reason (no stack trace): a missing file, a missing
 * dependency (CUDA runtime, cuBLAS, cuDNN) named with what to install, an ABI version mismatch.
 */
public final class NativeLibrary {
    public static final String PROPERTY = "esm2j.library";
    public static final String ENVIRONMENT = "ESM2J_LIBRARY";
    public static final String FILE_NAME = "libesm2j.so";

    /**
     * The outcome of loading.
     *
     * @param loaded  libesm2j and its CUDA runtime are loaded and bound
     * @param path    the file loaded (or the one that failed), null when none was found
     * @param error   why it is not loaded, one line; null when loaded
     * @param version {@code esm2j_version_string()} when loaded
     */
    public record Status(boolean loaded, Path path, String error, String version) {
        static Status failed(Path path, String error) {
            return new Status(false, path, error, null);
        }
    }

    /** A place to look, and why it is looked at. */
    record Candidate(Path path, String origin, boolean explicit) {
    }

    /** Answers by where the caller asked to look (the property and environment variable), so each is tried once. */
    private static final Map<List<String>, Status> ANSWERS = new HashMap<>();
    private static Path loadedFrom;

    private NativeLibrary() {
    }

    /** Loads the library on first use; later calls give the same answer. */
    public static synchronized Status load() {
        String property = System.getProperty(PROPERTY);
        String environment = System.getenv(ENVIRONMENT);
        return ANSWERS.computeIfAbsent(Arrays.asList(property, environment),
                k -> loadFirst(candidates(property, environment, codeLocation(), systemDirectories())));
    }

    /** Where to look, in order (see the class comment). */
    static List<Candidate> candidates(String property, String environment, Path codeLocation, List<Path> systemDirectories) {
        List<Candidate> out = new ArrayList<>();
        if (property != null && !property.isBlank()) {
            out.add(new Candidate(Path.of(property), "-D" + PROPERTY, true));
            return out;
        }
        if (environment != null && !environment.isBlank()) {
            out.add(new Candidate(Path.of(environment), ENVIRONMENT, true));
            return out;
        }
        if (codeLocation != null) {
            Path dir = Files.isDirectory(codeLocation) ? codeLocation : codeLocation.getParent();
            if (dir != null) {
                out.add(new Candidate(dir.resolve(FILE_NAME), "beside the jar", false));
                Path repository = repositoryOf(dir);
                if (repository != null) {
                    out.add(new Candidate(repository.resolve("build/native").resolve(FILE_NAME), "the repository's build/native", false));
                }
            }
        }
        for (Path d : systemDirectories) {
            out.add(new Candidate(d.resolve(FILE_NAME), "system path " + d, false));
        }
        return out;
    }

    static Status loadFirst(List<Candidate> candidates) {
        for (Candidate c : candidates) {
            if (Files.isRegularFile(c.path())) {
                return loadFile(c.path().toAbsolutePath().normalize());
            }
            if (c.explicit()) {
                return Status.failed(c.path(), c.origin() + "=" + c.path() + ": no such file");
            }
        }
        return Status.failed(null, FILE_NAME + " not found (build it with " + buildCommand() + ", or point -D" + PROPERTY
                + " / " + ENVIRONMENT + " at it)");
    }

    private static synchronized Status loadFile(Path path) {
        if (loadedFrom != null && !loadedFrom.equals(path)) {
            return Status.failed(path, "cannot load " + path + ": libesm2j is already loaded from " + loadedFrom
                    + " in this process (one copy per JVM)");
        }
        try {
            System.load(path.toString());
        } catch (UnsatisfiedLinkError e) {
            return Status.failed(path, "cannot load " + path + ": " + explain(oneLine(e.getMessage())));
        }
        loadedFrom = path;
        Path cudart = mappedLibrary("libcudart.so");
        if (cudart == null) {
            return Status.failed(path, path + " is loaded but no libcudart.so is mapped in the process: "
                    + "the library must link the CUDA runtime as a shared library (CUDA_RUNTIME_LIBRARY Shared)");
        }
        try {
            System.load(cudart.toString());
        } catch (UnsatisfiedLinkError e) {
            return Status.failed(path, "cannot bind the CUDA runtime " + cudart + ": " + oneLine(e.getMessage()));
        }
        int abi;
        try {
            abi = Esm2jH.esm2j_abi_version();
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
            return Status.failed(path, path + " is not an esm2j library: " + oneLine(String.valueOf(e.getMessage())));
        }
        if (abi != Esm2jH.ESM2J_ABI_VERSION()) {
            return Status.failed(path, path + " has ABI version " + abi + " but this esm2j needs " + Esm2jH.ESM2J_ABI_VERSION()
                    + ": rebuild it from the same sources (scripts/build-native.sh)");
        }
        List<String> missing = missingSymbols(Esm2jH.class);
        missing.addAll(missingSymbols(CudaRuntimeH.class));
        if (!missing.isEmpty()) {
            // An older build with the same ABI version: a call would fail later with an UnsatisfiedLinkError.
            return Status.failed(path, path + " lacks " + String.join(", ", missing)
                    + ": it is older than this esm2j; rebuild it (scripts/build-native.sh)");
        }
        return new Status(true, path, null, string(Esm2jH.esm2j_version_string()));
    }

    /** The functions a bindings class declares (each has a {@code name$address()}) that no loaded library exports. */
    static List<String> missingSymbols(Class<?> bindings) {
        SymbolLookup lookup = SymbolLookup.loaderLookup();
        List<String> missing = new ArrayList<>();
        for (Method m : bindings.getMethods()) {
            String name = m.getName();
            if (name.endsWith("$address") && m.getParameterCount() == 0) {
                String symbol = name.substring(0, name.length() - "$address".length());
                if (lookup.find(symbol).isEmpty()) {
                    missing.add(symbol);
                }
            }
        }
        missing.sort(null);
        return missing;
    }

    /** The last error of libesm2j on this thread. */
    static String lastError() {
        return string(Esm2jH.esm2j_last_error());
    }

    static String string(MemorySegment cString) {
        return cString.equals(MemorySegment.NULL) ? "" : cString.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** Adds what to install when the dynamic linker names a missing CUDA library. */
    static String explain(String message) {
        String hint = null;
        if (message.contains("libcudart")) {
            hint = "the CUDA 13 runtime is missing: install the CUDA 13 toolkit or runtime, or add its lib64 folder to LD_LIBRARY_PATH";
        } else if (message.contains("libcublas")) {
            hint = "cuBLAS 13 is missing: pip install nvidia-cublas (PyTorch's environment has it) and add its nvidia/cu13/lib folder "
                    + "to LD_LIBRARY_PATH, or rebuild with scripts/build-native.sh";
        } else if (message.contains("libcudnn")) {
            hint = "cuDNN 9 is missing: pip install nvidia-cudnn-cu13 and add its nvidia/cudnn/lib folder to LD_LIBRARY_PATH, "
                    + "or rebuild with ESM2J_WITH_CUDNN=OFF";
        } else if (message.contains("libcuda.so")) {
            hint = "no NVIDIA driver is installed";
        }
        return hint == null ? message : message + " (" + hint + ")";
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** The file of a shared library already mapped in this process, from /proc/self/maps (Linux). */
    static Path mappedLibrary(String namePrefix) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                Path p = Path.of(line.substring(slash).strip());
                if (p.getFileName().toString().startsWith(namePrefix)) {
                    return p;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The esm2j source tree holding {@code dir} (java/target/esm2j.jar or java/target/classes sit three levels down), or null. */
    static Path repositoryOf(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("CMakeLists.txt")) && Files.isDirectory(p.resolve("cuda"))
                    && Files.isRegularFile(p.resolve("scripts/build-native.sh"))) {
                return p;
            }
        }
        return null;
    }

    /**
     * The one command that builds the library for this installation: the source tree's build script (which
     * {@code bin/esm2j} also runs by itself on first use when nvcc is installed).
     */
    public static String buildCommand() {
        Path code = codeLocation();
        Path repository = code == null ? null : repositoryOf(Files.isDirectory(code) ? code : code.getParent());
        return repository != null ? repository.resolve("scripts/build-native.sh").toString()
                : "scripts/build-native.sh of the esm2j source tree (needs nvcc and CMake)";
    }

    private static Path codeLocation() {
        try {
            var source = NativeLibrary.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static List<Path> systemDirectories() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String var : new String[] {System.getProperty("java.library.path"), System.getenv("LD_LIBRARY_PATH")}) {
            if (var != null) {
                for (String d : var.split(":")) {
                    if (!d.isBlank()) {
                        dirs.add(Path.of(d));
                    }
                }
            }
        }
        for (String d : new String[] {"/usr/local/lib", "/usr/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/lib"}) {
            dirs.add(Path.of(d));
        }
        return List.copyOf(dirs);
    }
}
