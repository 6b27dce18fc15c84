package org.esm2j.progress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RateWindowTest {
    private static final long MS = 1_000_000;
    private static final long S = 1_000_000_000;

    /** Samples every 250 ms of a device that completes a batch of {@code tokens} every {@code period}. */
    private static RateWindow steady(long period, long tokens, long until, RateWindow w) {
        for (long t = 0; t <= until; t += 250 * MS) {
            long done = t / period;
            w.add(t, done * tokens, done);
        }
        return w;
    }

    @Test
    void manySmallBatchesGiveTheTrueRate() {
        RateWindow w = steady(100 * MS, 1000, 30 * S, new RateWindow(10 * S));
        assertThat(w.perSecond()).isCloseTo(10_000, within(300.0));
    }

    @Test
    void recentRateFollowsASpeedChangeNotTheAverageSinceStart() {
        RateWindow w = new RateWindow(10 * S);
        long tokens = 0;
        long batches = 0;
        for (long t = 0; t <= 60 * S; t += 250 * MS) {
            boolean fast = t > 30 * S;
            tokens += fast ? 5000 : 500;
            batches += 1;
            w.add(t, tokens, batches);
        }
        assertThat(w.perSecond()).isCloseTo(20_000, within(500.0));
    }

    @Test
    void batchesLongerThanTheWindowNeitherReadZeroNorSpike() {
        // 30 s per batch of 300k tokens: 10k tokens/s, with a 10 s window.
        long period = 30 * S;
        for (long now = 95 * S; now <= 120 * S; now += 5 * S) {
            RateWindow w = steady(period, 300_000, now, new RateWindow(10 * S));
            assertThat(w.perSecond()).as("at %d s", now / S).isBetween(10_000 * 0.6, 10_000 * 1.05);
        }
    }

    @Test
    void aStalledDeviceDecaysTowardsZero() {
        RateWindow w = new RateWindow(10 * S);
        long t = 0;
        for (; t <= 20 * S; t += 250 * MS) {
            long done = t / (100 * MS);
            w.add(t, done * 1000, done);
        }
        double running = w.perSecond();
        for (; t <= 200 * S; t += 250 * MS) {
            w.add(t, 200 * 1000, 200);
        }
        assertThat(running).isGreaterThan(9000);
        assertThat(w.perSecond()).isLessThan(running / 10);
    }

    @Test
    void nothingDoneReadsZero() {
        RateWindow w = new RateWindow(10 * S);
        assertThat(w.perSecond()).isZero();
        w.add(0, 0, 0);
        w.add(S, 0, 0);
        assertThat(w.perSecond()).isZero();
    }

    @Test
    void aSingleCompletionAveragesSinceTheFirstSample() {
        RateWindow w = new RateWindow(10 * S);
        w.add(0, 0, 0);
        w.add(20 * S, 0, 0);
        w.add(40 * S, 40_000, 1);
        assertThat(w.perSecond()).isCloseTo(1000, within(1.0));
    }
}
