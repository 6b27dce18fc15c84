package org.esm2j.schedule;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up timeline: intervals on one clock, point events kept once, the summary line in start order. */
class StartupTimelineTest {
    @Test
    void phasesAreKeptInStartOrderAndPointEventsOnce() throws Exception {
        StartupTimeline t = StartupTimeline.startingNow();
        long scan = t.now();
        long weights = t.now();
        Thread.sleep(5);
        t.end("input scan", scan);
        t.end("cuda:0 weights", weights);
        t.first(StartupTimeline.FIRST_BATCH_SUBMITTED);
        Thread.sleep(2);
        t.first(StartupTimeline.FIRST_BATCH_SUBMITTED); // the second batch: not recorded
        t.first(StartupTimeline.FIRST_RESULT_WRITTEN);
        List<StartupTimeline.Phase> phases = t.phases();
        assertThat(phases).extracting(StartupTimeline.Phase::name)
                .containsExactly("input scan", "cuda:0 weights", "first batch submitted", "first result written");
        assertThat(phases.get(0).durationNanos()).isGreaterThanOrEqualTo(5_000_000);
        assertThat(phases.get(2).durationNanos()).isZero();
        assertThat(phases.get(3).startNanos()).isGreaterThanOrEqualTo(phases.get(2).startNanos() + 2_000_000);
        String line = t.summaryLine();
        assertThat(line).contains("input scan 0.0", "‖ cuda:0 weights", "first batch submitted at", "first result written at");
        assertThat(line.indexOf("input scan")).isLessThan(line.indexOf("first result written"));
    }

    @Test
    void aFailedPhaseIsStillRecorded() {
        StartupTimeline t = StartupTimeline.startingNow();
        try {
            t.time("checkpoint open", () -> {
                throw new IllegalStateException("no model");
            });
        } catch (IllegalStateException expected) {
            // recorded all the same
        }
        assertThat(t.phase("checkpoint open")).isPresent();
    }

    @Test
    void theProcessClockStartsAtTheProcessStart() {
        StartupTimeline t = StartupTimeline.sinceProcessStart();
        assertThat(t.fromProcessStart()).isTrue();
        StartupTimeline.Phase jvm = t.phase(StartupTimeline.PROCESS_TO_MAIN).orElseThrow();
        assertThat(jvm.startNanos()).isZero();
        assertThat(jvm.endNanos()).isPositive(); // this JVM started before the test ran
        assertThat(t.toList().getFirst()).containsEntry("phase", "process start to main").containsEntry("start_seconds", 0.0);
    }
}
