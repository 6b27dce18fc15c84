package org.esm2j.output;

import org.esm2j.Esm2jException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an npy output directory holds, from the point of view of a run about to write there: nothing of ours,
 * an interrupted run it may resume, a finished dataset of the same job, or work of another job (refused).
 * Inspecting changes nothing on disk, so {@code --dry-run} uses it too.
 *
 * <p>The truth about finished work is the part directories themselves ({@code parts/part-NNNNNN/}, each
 * renamed into place only when complete and described by its {@code part.json}), validated in order from part
 * 0; the list in {@code parts/progress.json} mirrors them for people and tools.
 *
 * @param status      what was found
 * @param parts       finished parts that may be kept, in row order (RESUME only)
 * @param rows        sequences in those parts, or in the finished dataset (COMPLETE)
 * @param partRows    sequences per part of the earlier run (RESUME), else 0
 * @param differences why the earlier work does not match (MISMATCH)
 * @param notes       things worth logging (parts discarded as damaged, leftovers of other runs)
 * @param advice      what the user may do about a MISMATCH (continue an interrupted run, or keep a finished one), else null
 */
public record ResumeState(Status status, List<Part> parts, long rows, long partRows, List<String> differences, List<String> notes,
                          String advice) {
    static final String CONTINUE_OR_OVERWRITE = "Rerun with the earlier settings to continue that work, pass {overwrite} to start over,"
            + " or choose another {output}.";
    static final String KEEP_OR_OVERWRITE = "That dataset is finished and stays as it is: pass {overwrite} to replace it,"
            + " or choose another {output}.";

    public enum Status {
        /** Nothing of an earlier run: start from the first sequence. */
        NEW,
        /** An interrupted run of the same job: keep its finished parts, continue after them. */
        RESUME,
        /** The finished dataset of the same job is already there: nothing to do. */
        COMPLETE,
        /** Work of a different job (model, options, shard or input differ): refused unless --overwrite. */
        MISMATCH
    }

    /**
     * One finished part.
     *
     * @param number   0-based, contiguous
     * @param firstRow row of its first sequence in the whole output
     * @param rows     sequences in it
     * @param dir      its directory
     */
    public record Part(int number, long firstRow, long rows, Path dir) {
    }

    /** The error for a MISMATCH: what is at {@code dir}, what differs, and what to do. */
    public Esm2jException refusal(Path dir) {
        return Esm2jException.badOutput(dir + " holds " + differences.getFirst() + ":\n  " + String.join("\n  ", differences.subList(1, differences.size()))
                + "\nRefusing to mix them. " + advice);
    }

    public static ResumeState inspect(Path dir, DatasetIdentity identity) {
        Path manifestFile = dir.resolve(Manifest.FILE);
        Path progressFile = dir.resolve(NpyDatasetWriter.PARTS).resolve(NpyDatasetWriter.PROGRESS);
        List<String> notes = new ArrayList<>();
        Map<String, Object> manifest = Files.isRegularFile(manifestFile) ? Manifest.read(manifestFile) : null;
        DatasetIdentity finished = manifest != null && manifest.get("identity") instanceof Map<?, ?> m ? DatasetIdentity.fromMap(m) : null;
        if (finished != null && identity.differences(finished).isEmpty()) {
            return new ResumeState(Status.COMPLETE, List.of(), ((Number) manifest.get("rows")).longValue(), 0, List.of(), notes, null);
        }
        if (Files.isRegularFile(progressFile)) {
            Map<String, Object> progress = Manifest.read(progressFile);
            DatasetIdentity earlier = DatasetIdentity.fromMap((Map<?, ?>) progress.get("identity"));
            List<String> diff = identity.differences(earlier);
            if (!diff.isEmpty()) {
                return mismatch("an interrupted run with other settings", diff, notes, CONTINUE_OR_OVERWRITE);
            }
            long partRows = ((Number) progress.get("part_rows")).longValue();
            List<Part> parts = finishedParts(dir.resolve(NpyDatasetWriter.PARTS), notes);
            long rows = parts.stream().mapToLong(Part::rows).sum();
            return new ResumeState(Status.RESUME, parts, rows, partRows, List.of(), notes, null);
        }
        if (manifest != null) {
            if (finished == null) {
                return mismatch("a dataset written without resume information (by an older esm2j)",
                        List.of("no identity in " + manifestFile), notes, KEEP_OR_OVERWRITE);
            }
            return mismatch("a finished dataset made with other settings", identity.differences(finished), notes, KEEP_OR_OVERWRITE);
        }
        return new ResumeState(Status.NEW, List.of(), 0, 0, List.of(), notes, null);
    }

    private static ResumeState mismatch(String what, List<String> diff, List<String> notes, String advice) {
        List<String> d = new ArrayList<>();
        d.add(what);
        d.addAll(diff);
        return new ResumeState(Status.MISMATCH, List.of(), 0, 0, d, notes, advice);
    }

    /** The longest run of valid parts from part 0; anything after a gap or a damaged part is not trusted. */
    private static List<Part> finishedParts(Path partsDir, List<String> notes) {
        List<Part> parts = new ArrayList<>();
        long row = 0;
        for (int n = 0; ; n++) {
            Path p = partsDir.resolve(NpyDatasetWriter.partName(n));
            if (!Files.isDirectory(p)) {
                break;
            }
            String problem = checkPart(p, n, row);
            if (problem != null) {
                notes.add(p + " is damaged (" + problem + "); it and the parts after it are computed again");
                break;
            }
            long rows = ((Number) Manifest.read(p.resolve(NpyDatasetWriter.PART_FILE)).get("rows")).longValue();
            parts.add(new Part(n, row, rows, p));
            row += rows;
        }
        return parts;
    }

    /** Null when the part is whole: its part.json is readable and every file it lists has the size it recorded. */
    private static String checkPart(Path part, int number, long firstRow) {
        Path json = part.resolve(NpyDatasetWriter.PART_FILE);
        if (!Files.isRegularFile(json)) {
            return "no " + NpyDatasetWriter.PART_FILE;
        }
        try {
            Map<String, Object> m = Manifest.read(json);
            if (((Number) m.get("part")).intValue() != number || ((Number) m.get("first_row")).longValue() != firstRow) {
                return "its part.json says part " + m.get("part") + " from row " + m.get("first_row");
            }
            if (Files.size(part.resolve(NpyDatasetWriter.IDS)) != ((Number) m.get("ids_bytes")).longValue()) {
                return NpyDatasetWriter.IDS + " has the wrong size";
            }
            for (Object o : ((Map<?, ?>) m.get("arrays")).values()) {
                Map<?, ?> a = (Map<?, ?>) o;
                Path f = part.resolve(String.valueOf(a.get("file")));
                if (!Files.isRegularFile(f) || Files.size(f) != ((Number) a.get("bytes")).longValue()) {
                    return f.getFileName() + " is missing or has the wrong size";
                }
            }
            return null;
        } catch (Esm2jException | IOException | ClassCastException | NullPointerException e) {
            return e.getMessage();
        }
    }
}
