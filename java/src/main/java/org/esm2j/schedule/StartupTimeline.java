package org.esm2j.schedule;

import org.esm2j.Units;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a run's start-up time goes, from the process's start (the launcher's, since it {@code exec}s the JVM in the
 * same process) to its first result written: JVM to main, input scan, checkpoint open and page-in, each device's
 * weight upload and self-check, batch sizing, first batch submitted, first batch done, first result written.
 *
 * <p>Phases run on several threads at once (the input scan and the checkpoint's page-in beside the uploads, the
 * CPU's self-check answers beside them too), so each is kept as an interval on the process clock, and the
 * timeline is the list of intervals sorted by start: one GPU run's log or manifest tells where the time went and
 * what overlapped. Each phase is logged at debug when it ends; {@link #logStartupDone} writes the one-line info
 * summary once the first result is written. The manifest holds the whole list ({@link #toList}).
 */
public final class StartupTimeline {
    private static final Logger LOG = LoggerFactory.getLogger(StartupTimeline.class);

    /** Standard phase names (devices' phases are prefixed with the device id). */
    public static final String PROCESS_TO_MAIN = "process start to main";
    /** From {@code main} to the command's start: parsing the command line, setting up logging, checking options. */
    public static final String COMMAND_LINE = "command line";
    public static final String INPUT_SCAN = "input scan";
    public static final String CHECKPOINT_OPEN = "checkpoint open";
    public static final String CHECKPOINT_PAGE_IN = "checkpoint page-in";
    public static final String DEVICE_DISCOVERY = "device discovery";
    public static final String DEVICES_OPEN = "devices open";
    public static final String SELF_CHECK_CPU = "self-check CPU answers";
    public static final String WEIGHTS = "weights";
    public static final String SELF_CHECK = "self-check";
    public static final String SIZING = "sizing";
    public static final String FIRST_BATCH_SUBMITTED = "first batch submitted";
    public static final String FIRST_BATCH_DONE = "first batch done";
    public static final String FIRST_RESULT_WRITTEN = "first result written";

    /** {@link System#nanoTime()} when {@code main} began, 0 until the command line records it. */
    private static volatile long mainNanos;

    /** One phase: its interval in nanoseconds since the process started; a point event has {@code start == end}. */
    public record Phase(String name, long startNanos, long endNanos) {
        public long durationNanos() {
            return endNanos - startNanos;
        }
    }

    private final long originNanos;
    private final boolean fromProcessStart;
    private final List<Phase> phases = new ArrayList<>();
    private boolean summaryLogged;

    private StartupTimeline(long originNanos, boolean fromProcessStart) {
        this.originNanos = originNanos;
        this.fromProcessStart = fromProcessStart;
    }

    /** Called first thing in {@code main}: the end of the "process start to main" phase. */
    public static void mainStarted() {
        mainNanos = System.nanoTime();
    }

    /**
     * A timeline whose clock starts when this process started (the OS's start time, 10 ms granularity on Linux), with
     * its first phase from then to {@code main}; when the OS does not tell the start time, the clock starts now.
     */
    public static StartupTimeline sinceProcessStart() {
        long now = System.nanoTime();
        Optional<Instant> start = ProcessHandle.current().info().startInstant();
        if (start.isEmpty()) {
            return new StartupTimeline(now, false);
        }
        long sinceStart = Math.max(0, Duration.between(start.get(), Instant.now()).toNanos());
        StartupTimeline t = new StartupTimeline(now - sinceStart, true);
        long main = mainNanos;
        boolean mainKnown = main != 0 && main >= t.originNanos && main <= now;
        t.add(PROCESS_TO_MAIN, t.originNanos, mainKnown ? main : now);
        if (mainKnown) {
            t.add(COMMAND_LINE, main, now);
        }
        return t;
    }

    /** A timeline whose clock starts now (the library API, tests). */
    public static StartupTimeline startingNow() {
        return new StartupTimeline(System.nanoTime(), false);
    }

    /** Whether the clock starts at the process's start (else at this timeline's creation). */
    public boolean fromProcessStart() {
        return fromProcessStart;
    }

    /** Now, on this timeline's clock ({@link System#nanoTime()}): what {@link #end} takes as a phase's start. */
    public long now() {
        return System.nanoTime();
    }

    /** Records the phase {@code name} from {@code beganNanos} (a {@link #now()}) to now. */
    public void end(String name, long beganNanos) {
        add(name, beganNanos, System.nanoTime());
    }

    /** Runs {@code work} as the phase {@code name}; the phase is recorded even when the work throws. */
    public <T> T time(String name, Supplier<T> work) {
        long t0 = System.nanoTime();
        try {
            return work.get();
        } finally {
            end(name, t0);
        }
    }

    /** Records the point event {@code name} now, unless it was already recorded (the first batch, the first result). */
    public void first(String name) {
        long now = System.nanoTime();
        synchronized (phases) {
            for (Phase p : phases) {
                if (p.name.equals(name)) {
                    return;
                }
            }
            phases.add(new Phase(name, now - originNanos, now - originNanos));
        }
        LOG.debug("start-up: {} at {} s", name, seconds(now - originNanos));
    }

    private void add(String name, long fromNanos, long toNanos) {
        Phase p = new Phase(name, fromNanos - originNanos, Math.max(fromNanos, toNanos) - originNanos);
        synchronized (phases) {
            phases.add(p);
        }
        LOG.debug("start-up: {} took {} s (from {} s to {} s)", name, seconds(p.durationNanos()), seconds(p.startNanos), seconds(p.endNanos));
    }

    /** Every phase recorded so far, by start (then end). */
    public List<Phase> phases() {
        synchronized (phases) {
            return phases.stream().sorted(Comparator.comparingLong(Phase::startNanos).thenComparingLong(Phase::endNanos)).toList();
        }
    }

    /** The phase called {@code name}, if recorded (the first one of that name). */
    public Optional<Phase> phase(String name) {
        synchronized (phases) {
            return phases.stream().filter(p -> p.name.equals(name)).findFirst();
        }
    }

    /** The phases for the manifest: name, start and end in seconds since the clock's origin. */
    public List<Map<String, Object>> toList() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Phase p : phases()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("phase", p.name);
            m.put("start_seconds", round3(p.startNanos / 1e9));
            m.put("end_seconds", round3(p.endNanos / 1e9));
            out.add(m);
        }
        return out;
    }

    /**
     * The one-line summary: each interval's length and each point event's time since the clock's origin, in the order
     * they started; intervals that began before the previous one ended are marked as overlapping it ("‖").
     */
    public String summaryLine() {
        StringBuilder sb = new StringBuilder(fromProcessStart ? "start-up (seconds since the process started): " : "start-up (seconds): ");
        long furthestEnd = Long.MIN_VALUE;
        boolean firstItem = true;
        for (Phase p : phases()) {
            sb.append(firstItem ? "" : p.startNanos < furthestEnd && p.durationNanos() > 0 ? " ‖ " : ", ");
            firstItem = false;
            if (p.durationNanos() == 0) {
                sb.append(p.name).append(" at ").append(seconds(p.startNanos));
            } else {
                sb.append(p.name).append(' ').append(seconds(p.durationNanos()));
            }
            furthestEnd = Math.max(furthestEnd, p.endNanos);
        }
        return sb.toString();
    }

    /** Logs {@link #summaryLine} at info, once: called when the first result has been written. */
    public void logStartupDone() {
        synchronized (phases) {
            if (summaryLogged) {
                return;
            }
            summaryLogged = true;
        }
        LOG.info(summaryLine());
    }

    private static String seconds(long nanos) {
        return Units.fixed(nanos / 1e9, 2);
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
