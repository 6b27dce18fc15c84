package org.esm2j.output;

import org.esm2j.Esm2jException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks an output path before any work starts: refuse to clobber, fail early when not writable. */
public final class OutputTarget {
    private OutputTarget() {
    }

    /** For a single-file output (safetensors). */
    public static void checkFile(Path file, boolean overwrite) {
        if (Files.isDirectory(file)) {
            throw Esm2jException.badOutput(file + " is a directory; {format} safetensors writes one file (give a file name ending in .safetensors)");
        }
        if (Files.exists(file) && !overwrite) {
            throw Esm2jException.badOutput(file + " exists; pass {overwrite} to replace it");
        }
        Path parent = file.toAbsolutePath().getParent();
        ensureWritableDirectory(parent);
    }

    /**
     * For a dataset directory (npy). An existing directory is accepted when it holds nothing but esm2j output
     * (whether that output may be resumed, is already complete or must be refused is decided when the writer
     * opens, once the model is known: {@link ResumeState}); a directory holding anything else is refused.
     */
    public static void checkDirectory(Path dir, java.util.function.Predicate<String> ours) {
        checkDirectory(dir, "npy", ours);
    }

    /** As {@link #checkDirectory(Path, java.util.function.Predicate)}, for the directory format {@code format} (npy, pt). */
    public static void checkDirectory(Path dir, String format, java.util.function.Predicate<String> ours) {
        if (Files.isRegularFile(dir)) {
            throw Esm2jException.badOutput(dir + " is a file; {format} " + format + " writes a directory");
        }
        if (Files.isDirectory(dir)) {
            List<String> foreign = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    String name = p.getFileName().toString();
                    if (!ours.test(name)) {
                        foreign.add(name);
                    }
                }
            } catch (IOException e) {
                throw Esm2jException.badOutput(dir + ": cannot list: " + e.getMessage(), e);
            }
            if (!foreign.isEmpty()) {
                throw Esm2jException.badOutput(dir + " holds files esm2j did not write (" + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
                        + (foreign.size() > 5 ? ", …" : "") + "); choose an empty or new directory");
            }
            ensureWritableDirectory(dir);
        } else {
            Path parent = dir.toAbsolutePath().getParent();
            ensureWritableDirectory(parent);
        }
    }

    private static void ensureWritableDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw Esm2jException.badOutput("cannot create output directory " + dir + ": " + e.getMessage(), e);
            }
        }
        Path probe = dir.resolve(".esm2j-write-test-" + ProcessHandle.current().pid());
        try {
            Files.writeString(probe, "");
            Files.delete(probe);
        } catch (IOException e) {
            throw Esm2jException.badOutput("output directory " + dir + " is not writable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }
}
