package org.esm2j.progress;

import org.esm2j.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The plain progress lines written every {@code --progress-interval} where there is no terminal (batch jobs,
 * CI, pipes) and to the log file: one line per device and one for the run, ASCII only, each starting with
 * {@code progress} so that {@code grep progress job.log} finds them all.
 */
public final class ProgressLines {
    private ProgressLines() {
    }

    public static List<String> of(RunView view) {
        List<String> lines = new ArrayList<>();
        if (view.devices().isEmpty()) {
            lines.add("progress: preparing devices, elapsed " + Units.duration(view.elapsedNanos()));
            return lines;
        }
        for (DeviceView d : view.devices()) {
            lines.add("progress " + d.id() + ": " + (d.failed() ? Dashboard.failureText(d) : deviceFigures(d)));
        }
        lines.add("progress total: " + totalFigures(view));
        return lines;
    }

    private static String deviceFigures(DeviceView d) {
        StringBuilder b = new StringBuilder();
        b.append(Units.count(d.sequences())).append(" seq, ")
                .append(Units.count(d.tokens())).append(" tok, ")
                .append(Units.rate(d.recentTokensPerSecond())).append(" tok/s, ")
                .append("busy ").append(Units.percent(d.recentBusyFraction()));
        Memory m = d.memory();
        if (m.known()) {
            b.append(", ").append(m.kind().label()).append(' ').append(Units.bytesOf(m.usedBytes(), m.totalBytes()));
            if (m.peakBytes() >= 0) {
                b.append(" (peak ").append(Units.bytes(m.peakBytes())).append(')');
            }
        }
        if (d.tokenBudget() >= 0) {
            b.append(", budget ").append(Units.count(d.tokenBudget())).append(" tok");
        }
        b.append(", oom retries ").append(d.oomRetries());
        return b.toString();
    }

    private static String totalFigures(RunView view) {
        StringBuilder b = new StringBuilder();
        OptionalDouble fraction = view.fraction();
        if (view.streaming() || fraction.isEmpty()) {
            b.append(Units.count(view.sequencesDone())).append(" seq (streaming, total unknown)");
        } else {
            b.append(Units.percent(fraction.getAsDouble())).append(" (")
                    .append(Units.count(view.sequencesDone())).append('/').append(Units.count(view.expectedSequences())).append(" seq)");
        }
        b.append(", ").append(Units.rate(view.recentTokensPerSecond())).append(" tok/s")
                .append(", elapsed ").append(Units.duration(view.elapsedNanos()));
        if (!view.streaming()) {
            OptionalLong eta = view.etaNanos();
            b.append(", ETA ").append(eta.isPresent() ? Units.duration(eta.getAsLong()) : "unknown");
        }
        return b.toString();
    }
}
