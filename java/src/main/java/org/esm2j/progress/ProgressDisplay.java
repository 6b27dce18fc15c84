package org.esm2j.progress;

import org.esm2j.Units;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Shows a run's progress for as long as it is open: the live region on a terminal, plain lines every interval
 * elsewhere (and in the log file), or nothing. One platform thread samples {@link RunStats} and draws; the
 * device threads only bump counters. Close it (try-with-resources) when the run ends, however it ends: the
 * region is erased and the cursor shown again; a shutdown hook does the same on Ctrl-C.
 */
public final class ProgressDisplay implements RunListener, AutoCloseable {
    /** Marks the periodic progress lines, so that the console can leave them out while the live region shows them. */
    public static final Marker PROGRESS = MarkerFactory.getMarker("PROGRESS");
    static final String LOGGER_NAME = "org.esm2j.progress";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final Logger SELF = LoggerFactory.getLogger(ProgressDisplay.class);

    static final long LIVE_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    static final long LIVE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long MIN_LOG_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final long FIRST_LINE_MAX_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * @param mode          LIVE, LOG or NONE (already resolved against the terminal)
     * @param interval      between progress lines
     * @param linesToLogFile write progress lines to the log file even when the console shows none
     */
    public record Settings(ProgressMode mode, Duration interval, boolean linesToLogFile) {
        public Settings {
            if (mode == ProgressMode.AUTO) {
                throw new IllegalArgumentException("resolve the progress mode before starting the display");
            }
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("progress interval must be positive: " + interval);
            }
        }

        boolean writesLines() {
            return mode == ProgressMode.LOG || linesToLogFile;
        }
    }

    private final Settings settings;
    private final RunStats stats;
    private final Sampler sampler;
    private final Glyphs glyphs;
    private final LiveRegion region;
    private final Thread thread;
    private final Thread exitHook;
    private volatile boolean stopping;
    private boolean closed;

    private ProgressDisplay(RunStats stats, Settings settings, StderrTerminal terminal, PrintStream stderr) {
        this.settings = settings;
        boolean live = settings.mode() == ProgressMode.LIVE;
        // Plain lines report the rate since the previous line, but never over less than a few seconds.
        this.sampler = new Sampler(stats, live ? LIVE_WINDOW_NANOS : Math.max(settings.interval().toNanos(), MIN_LOG_WINDOW_NANOS));
        this.glyphs = Glyphs.forCharset(stderr.charset());
        this.region = live ? new LiveRegion(stderr, terminal::columns, stderr.charset()) : null;
        this.stats = stats;
        this.exitHook = settings.mode() == ProgressMode.NONE ? null : Thread.ofPlatform().name("esm2j-progress-exit").unstarted(this::onExit);
        this.thread = Thread.ofPlatform().name("esm2j-progress").daemon().unstarted(this::loop);
    }

    /** Starts showing progress of {@code stats} now (devices appear as they register). */
    public static ProgressDisplay start(RunStats stats, Settings settings, StderrTerminal terminal) {
        ProgressDisplay d = new ProgressDisplay(stats, settings, terminal, System.err);
        Console.showProgressLines(settings.mode() == ProgressMode.LOG);
        if (d.exitHook != null) {
            Runtime.getRuntime().addShutdownHook(d.exitHook);
        }
        if (d.region != null) {
            Console.attach(d.region);
        }
        d.thread.start();
        return d;
    }

    static boolean isProgressLine(ILoggingEvent event) {
        return event.getMarkerList() != null && event.getMarkerList().contains(PROGRESS);
    }

    private void loop() {
        long tick = region != null ? LIVE_TICK_NANOS : Math.min(TimeUnit.SECONDS.toNanos(1), settings.interval().toNanos());
        long interval = settings.interval().toNanos();
        long start = System.nanoTime();
        long nextLines = start + Math.min(interval, FIRST_LINE_MAX_NANOS);
        boolean drawing = region != null;
        while (!stopping) {
            try {
                RunView view = sampler.sample();
                if (drawing) {
                    region.show(Dashboard.render(view, region.width(), glyphs));
                }
                long now = System.nanoTime();
                if (settings.writesLines() && now - nextLines >= 0) {
                    for (String line : ProgressLines.of(view)) {
                        LOG.info(PROGRESS, line);
                    }
                    nextLines += interval * Math.max(1, (now - nextLines) / interval + 1);
                }
            } catch (RuntimeException e) {
                // A display bug must not stop the run: say so once and carry on without the live region.
                SELF.warn("progress display stopped: {}", e.toString());
                SELF.debug("progress display failure", e);
                if (drawing) {
                    drawing = false;
                    stopRegion();
                }
            }
            sleep(tick);
        }
    }

    /**
     * The JVM is exiting while the run is still going (Ctrl-C, SIGTERM from a scheduler): give the terminal back
     * and leave one line saying how far the run got, the last thing a batch log shows.
     */
    private void onExit() {
        stopping = true;
        if (region != null) {
            region.closeOnExit();
        }
        long done = stats.devices().values().stream().mapToLong(d -> d.sequences()).sum();
        long expected = stats.expectedSequences();
        SELF.warn("run stopped before the end after {}: {}{} sequences processed", Units.duration(stats.elapsed().toNanos()),
                Units.count(done), expected >= 0 ? " of " + Units.count(expected) : "");
    }

    private void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            stopping = true;
        }
    }

    private void stopRegion() {
        if (region != null) {
            region.close();
            Console.detach(region);
        }
    }

    /** The run is over: stop drawing, erase the region, show the cursor. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopRegion();
        Console.showProgressLines(false);
        if (exitHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException ignored) {
                // Already shutting down: the hook runs, and it finds the region closed.
            }
        }
    }

    public ProgressMode mode() {
        return settings.mode();
    }
}
