package org.esm2j.pipeline;

import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.schedule.BatchExecutor;
import org.esm2j.schedule.RunStats;
import org.esm2j.tokens.Alphabet;
import org.esm2j.tokens.SequenceWindows;
import org.esm2j.tokens.TokenizedSequence;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code --long-sequences window}: proteins longer than a window are embedded as their windows
 * ({@link SequenceWindows}), each a sequence of its own in the batches, and the windows' results are combined into
 * one result per protein:
 *
 * <ul>
 *   <li>per-token (each layer) and logits: each residue's row is the mean of its rows in the windows that cover it;
 *       the logits' BOS row is the first window's, the EOS row the last window's;</li>
 *   <li>mean: the mean over the protein's residues of those per-token rows (so the windows are computed with
 *       per-token outputs for the mean's layers even when per_tok is not asked for);</li>
 *   <li>bos: the first window's;</li>
 *   <li>contacts: each pair (i, j) is the mean over the windows that hold both residues; a pair that no window holds
 *       together is 0, and counted ({@link RunStats#contactPairsOutsideWindows()}).</li>
 * </ul>
 *
 * <p>The windows of one input window's proteins go through the executor together with its other sequences (they may run
 * on different devices and batches, in any order); the executor hands back every result before any protein is combined,
 * so a protein is complete when it reaches the writer, once, in input order. Memory: the run bounds an input window by the
 * bytes of its windows' results ({@link #resultFloats}), and each protein's window results are dropped once combined.
 */
public final class WindowedProteins {
    private WindowedProteins() {
    }

    /**
     * What the windows are computed with: {@code spec}, plus per-token outputs when the mean is asked for (the mean of a
     * cut protein is taken over its combined per-token rows).
     */
    public static OutputSpec windowSpec(OutputSpec spec) {
        if (!spec.has(OutputKind.MEAN) || spec.has(OutputKind.PER_TOK)) {
            return spec;
        }
        EnumSet<OutputKind> kinds = EnumSet.copyOf(spec.kinds());
        kinds.add(OutputKind.PER_TOK);
        return new OutputSpec(kinds, spec.layers());
    }

    /** Floats held while a protein of {@code residues} residues is computed: its windows' results and its own. */
    public static long resultFloats(OutputSpec spec, SequenceWindows windows, int residues, int hidden) {
        long own = spec.floatsPerSequence(residues, hidden);
        if (!windows.cuts(residues)) {
            return own;
        }
        return own + windows.count(residues) * windowSpec(spec).floatsPerSequence(windows.length(), hidden);
    }

    /** The sequences the model runs for {@code group}: each protein as it is, or its windows when it is cut. */
    public static List<TokenizedSequence> computed(List<TokenizedSequence> group, SequenceWindows windows) {
        List<TokenizedSequence> out = new ArrayList<>(group.size());
        for (TokenizedSequence s : group) {
            if (windows.cuts(s.residues())) {
                out.addAll(windows.cut(s, out.size()));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Runs {@code group} (proteins in input order) on {@code executor} and returns one result per protein, in the same
     * order, the cut ones combined from their windows.
     */
    public static List<SequenceEmbedding> execute(BatchExecutor executor, List<TokenizedSequence> group, OutputSpec spec,
                                                  SequenceWindows windows, int maxBatchSequences, RunStats stats) {
        if (group.stream().noneMatch(s -> windows.cuts(s.residues()))) {
            return executor.executeWindow(group, spec, maxBatchSequences);
        }
        // Numbered 0, 1, … in two blocks (whole proteins, then windows): the executor wants consecutive indices.
        List<TokenizedSequence> whole = new ArrayList<>();
        List<TokenizedSequence> pieces = new ArrayList<>();
        for (TokenizedSequence s : group) {
            if (!windows.cuts(s.residues())) {
                whole.add(new TokenizedSequence(whole.size(), s.id(), s.tokens(), s.unknownLetters(), s.truncatedFrom()));
            }
        }
        for (TokenizedSequence s : group) {
            if (windows.cuts(s.residues())) {
                pieces.addAll(windows.cut(s, whole.size() + pieces.size()));
            }
        }
        OutputSpec pieceSpec = windowSpec(spec);
        List<SequenceEmbedding> results = new ArrayList<>(whole.size() + pieces.size());
        if (pieceSpec.equals(spec)) {
            List<TokenizedSequence> all = new ArrayList<>(whole);
            all.addAll(pieces);
            results.addAll(executor.executeWindow(all, spec, maxBatchSequences));
        } else {
            results.addAll(executor.executeWindow(whole, spec, maxBatchSequences));
            results.addAll(executor.executeWindow(pieces, pieceSpec, maxBatchSequences));
        }
        List<SequenceEmbedding> out = new ArrayList<>(group.size());
        int nextWhole = 0;
        int nextPiece = whole.size();
        for (TokenizedSequence s : group) {
            if (windows.cuts(s.residues())) {
                int[] starts = windows.starts(s.residues());
                List<SequenceEmbedding> parts = new ArrayList<>(results.subList(nextPiece, nextPiece + starts.length));
                for (int k = 0; k < starts.length; k++) {
                    results.set(nextPiece + k, null); // combined below: nothing keeps the windows' arrays after this
                }
                nextPiece += starts.length;
                out.add(combine(s, starts, windows.length(), parts, spec, stats));
            } else {
                SequenceEmbedding r = results.get(nextWhole);
                results.set(nextWhole++, null);
                out.add(new SequenceEmbedding(s.index(), s.id(), r.residues(), r.mean(), r.bos(), r.perToken(), r.logits(), r.contacts()));
            }
        }
        return out;
    }

    /** One protein's result from its windows' (in window order), by the rules of the class comment. */
    static SequenceEmbedding combine(TokenizedSequence protein, int[] starts, int length, List<SequenceEmbedding> parts, OutputSpec spec,
                                     RunStats stats) {
        int n = protein.residues();
        int[] cover = coverage(n, starts, length);
        int layers = spec.layerCount();
        boolean perTok = spec.has(OutputKind.PER_TOK);
        boolean mean = spec.has(OutputKind.MEAN);
        float[][] perTokenOut = perTok ? new float[layers][] : null;
        float[][] meanOut = mean ? new float[layers][] : null;
        if (perTok || mean) {
            int hidden = parts.getFirst().perToken()[0].length / length;
            for (int slot = 0; slot < layers; slot++) {
                int l = slot;
                float[] rows = averageRows(n, hidden, starts, length, cover, k -> parts.get(k).perToken()[l], 0);
                if (mean) {
                    meanOut[slot] = meanOf(rows, n, hidden);
                }
                if (perTok) {
                    perTokenOut[slot] = rows;
                }
            }
        }
        float[][] bos = spec.has(OutputKind.BOS) ? parts.getFirst().bos() : null;
        float[] logits = null;
        if (spec.has(OutputKind.LOGITS)) {
            int v = Alphabet.SIZE;
            logits = new float[(n + 2) * v];
            // Residue rows 1..n; a window's row of its residue a is a + 1 (after its own BOS).
            float[] residues = averageRows(n, v, starts, length, cover, k -> parts.get(k).logits(), 1);
            System.arraycopy(parts.getFirst().logits(), 0, logits, 0, v);
            System.arraycopy(residues, 0, logits, v, n * v);
            System.arraycopy(parts.getLast().logits(), (length + 1) * v, logits, (n + 1) * v, v);
        }
        float[] contacts = null;
        if (spec.has(OutputKind.CONTACTS)) {
            contacts = combineContacts(n, starts, length, parts, stats);
        }
        return new SequenceEmbedding(protein.index(), protein.id(), n, meanOut, bos, perTokenOut, logits, contacts);
    }

    /** Windows covering each residue. */
    private static int[] coverage(int n, int[] starts, int length) {
        int[] cover = new int[n];
        for (int s : starts) {
            for (int i = s; i < s + length; i++) {
                cover[i]++;
            }
        }
        return cover;
    }

    /** Rows of {@code width} floats per residue: each the mean of its rows in the windows covering it. */
    private static float[] averageRows(int n, int width, int[] starts, int length, int[] cover,
                                       java.util.function.IntFunction<float[]> windowRows, int rowOffset) {
        double[] sum = new double[n * width];
        for (int k = 0; k < starts.length; k++) {
            float[] w = windowRows.apply(k);
            int base = starts[k] * width;
            int from = rowOffset * width;
            for (int i = 0; i < length * width; i++) {
                sum[base + i] += w[from + i];
            }
        }
        float[] out = new float[n * width];
        for (int r = 0; r < n; r++) {
            double c = cover[r];
            for (int j = r * width; j < (r + 1) * width; j++) {
                out[j] = (float) (sum[j] / c);
            }
        }
        return out;
    }

    private static float[] meanOf(float[] rows, int n, int width) {
        double[] sum = new double[width];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                sum[j] += rows[r * width + j];
            }
        }
        float[] out = new float[width];
        for (int j = 0; j < width; j++) {
            out[j] = (float) (sum[j] / n);
        }
        return out;
    }

    /** Each pair over the windows holding both residues; pairs no window holds are 0 and counted. */
    private static float[] combineContacts(int n, int[] starts, int length, List<SequenceEmbedding> parts, RunStats stats) {
        float[] out = new float[Math.multiplyExact(n, n)];
        double[] rowSum = new double[n];
        int[] rowCount = new int[n];
        long outside = 0;
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(rowSum, 0);
            java.util.Arrays.fill(rowCount, 0);
            for (int k = 0; k < starts.length; k++) {
                int s = starts[k];
                if (i < s || i >= s + length) {
                    continue;
                }
                float[] c = parts.get(k).contacts();
                int a = i - s;
                for (int b = 0; b < length; b++) {
                    rowSum[s + b] += c[a * length + b];
                    rowCount[s + b]++;
                }
            }
            for (int j = 0; j < n; j++) {
                if (rowCount[j] > 0) {
                    out[i * n + j] = (float) (rowSum[j] / rowCount[j]);
                } else {
                    outside++;
                }
            }
        }
        if (stats != null && outside > 0) {
            stats.contactPairsOutsideWindows(outside);
        }
        return out;
    }
}
