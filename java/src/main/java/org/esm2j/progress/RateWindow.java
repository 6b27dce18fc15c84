package org.esm2j.progress;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A recent rate of a growing counter (tokens, busy nanoseconds) from samples taken by the progress thread.
 *
 * <p>Counters grow only when a batch completes, so a plain fixed window would read zero between completions
 * of long batches and then spike. The span used is therefore the window, stretched back until it holds at
 * least {@value #MIN_EVENTS} completions (starting just after an earlier completion, so that exactly the
 * work of those completions is divided by the time they took). A device that stops completing batches sees
 * its rate fall towards zero as time passes, which is what a stalled device should show.
 */
final class RateWindow {
    static final int MIN_EVENTS = 2;
    private static final long HISTORY_NANOS = 10L * 60 * 1_000_000_000;

    private record Sample(long nanos, long value, long events) {
    }

    private final long windowNanos;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    RateWindow(long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("window must be positive: " + windowNanos);
        }
        this.windowNanos = windowNanos;
    }

    /** Records the counter's value and the number of completions so far at time {@code nanos}. */
    void add(long nanos, long value, long events) {
        Sample last = samples.peekLast();
        if (last != null && nanos <= last.nanos) {
            return;
        }
        samples.addLast(new Sample(nanos, value, events));
        while (samples.size() > 2 && nanos - samples.peekFirst().nanos > HISTORY_NANOS) {
            samples.removeFirst();
        }
    }

    /** Units per second over the recent span; 0 before two samples exist. */
    double perSecond() {
        Sample last = samples.peekLast();
        Sample start = start();
        if (last == null || start == null || last.nanos <= start.nanos) {
            return 0;
        }
        return (last.value - start.value) * 1e9 / (last.nanos - start.nanos);
    }

    private Sample start() {
        Sample last = samples.peekLast();
        if (last == null) {
            return null;
        }
        Sample inWindow = last;
        Sample afterCompletion = null;
        long completionsSince = -1;
        Iterator<Sample> newestFirst = samples.descendingIterator();
        while (newestFirst.hasNext()) {
            Sample s = newestFirst.next();
            boolean withinWindow = last.nanos - s.nanos <= windowNanos;
            if (withinWindow) {
                inWindow = s;
            }
            long since = last.events - s.events;
            if (since >= MIN_EVENTS && (completionsSince < 0 || since == completionsSince)) {
                // The oldest sample with this count was taken just after a completion: from there on,
                // exactly `since` batches' work was done.
                completionsSince = since;
                afterCompletion = s;
            } else if (completionsSince >= 0 && since > completionsSince && !withinWindow) {
                break;
            }
        }
        if (afterCompletion == null) {
            // Fewer than MIN_EVENTS completions in the whole history: the average since the first sample.
            return samples.peekFirst();
        }
        return last.events - inWindow.events >= MIN_EVENTS ? inWindow : afterCompletion;
    }
}
