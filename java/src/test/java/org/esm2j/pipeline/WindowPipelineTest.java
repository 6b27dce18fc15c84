package org.esm2j.pipeline;

import org.esm2j.device.DeviceFailureException;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.input.DuplicateIds;
import org.esm2j.output.EmbeddingWriter;
import org.esm2j.schedule.Batch;
import org.esm2j.schedule.BatchExecutor;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import org.esm2j.tokens.TokenizedSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Windows are written by a writer thread while the next one computes: in order, and nothing lost on failure. */
class WindowPipelineTest {
    static final OutputSpec SPEC = new OutputSpec(EnumSet.of(OutputKind.MEAN), new int[] {0});

    @TempDir
    Path tmp;

    /** Five one-sequence windows (a one-byte window bound). */
    EmbedOptions fiveWindows() throws IOException {
        StringBuilder fasta = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            fasta.append(">s").append(i).append('\n').append("MKTAYIAKQR".repeat(1 + i)).append('\n');
        }
        Path input = Files.writeString(tmp.resolve("in.fa"), fasta);
        return new EmbedOptions(input.toString(), SPEC, 1022, 4096, DuplicateIds.ERROR, 1);
    }

    /** Hands back empty results; {@code onWindow} sees the 1-based window number before it computes. */
    static BatchExecutor executor(Consumer<Integer> onWindow) {
        AtomicInteger windows = new AtomicInteger();
        return new BatchExecutor() {
            @Override
            public void execute(List<Batch> batches, OutputSpec spec, Consumer<SequenceEmbedding> sink) {
                onWindow.accept(windows.incrementAndGet());
                for (Batch b : batches) {
                    for (TokenizedSequence s : b.sequences()) {
                        sink.accept(new SequenceEmbedding(s.index(), s.id(), s.residues(), new float[][] {new float[1]}, null, null, null, null));
                    }
                }
            }

            @Override
            public long tokenBudget() {
                return 4096;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Records what it is given; {@code beforeWrite} runs first (to block or fail). */
    static final class RecordingWriter implements EmbeddingWriter {
        final List<String> written = new CopyOnWriteArrayList<>();
        final List<String> events = Collections.synchronizedList(new java.util.ArrayList<>());
        final Consumer<SequenceEmbedding> beforeWrite;

        RecordingWriter(Consumer<SequenceEmbedding> beforeWrite) {
            this.beforeWrite = beforeWrite;
        }

        @Override
        public void write(SequenceEmbedding e) {
            beforeWrite.accept(e);
            written.add(e.id());
            events.add("write " + e.id() + " on " + Thread.currentThread().getName());
        }

        @Override
        public void commit(Map<String, Object> summary) {
            events.add("commit");
        }

        @Override
        public void abort() {
            events.add("abort after " + written.size());
        }
    }

    @Test
    void theNextWindowComputesWhileThePreviousOneIsWritten() throws Exception {
        CountDownLatch secondWindowStarted = new CountDownLatch(1);
        boolean[] overlapped = new boolean[1];
        RecordingWriter writer = new RecordingWriter(e -> {
            if (e.id().equals("s0")) {
                try {
                    overlapped[0] = secondWindowStarted.await(10, TimeUnit.SECONDS); // a slow disk, until window 2 runs
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        RunStats stats = new RunStats();
        new EmbedRun(fiveWindows(), 1, executor(w -> {
            if (w == 2) {
                secondWindowStarted.countDown();
            }
        }), writer, stats, RunListener.NONE).run();
        assertThat(overlapped[0]).as("window 2 started while window 1 was being written").isTrue();
        assertThat(writer.written).containsExactly("s0", "s1", "s2", "s3", "s4");
        assertThat(writer.events.getLast()).isEqualTo("commit");
        assertThat(writer.events.getFirst()).contains("esm2j-writer");
        assertThat(stats.sequencesWritten()).isEqualTo(5);
    }

    @Test
    void aWriteFailureStopsTheRunAndAborts() throws Exception {
        RecordingWriter writer = new RecordingWriter(e -> {
            if (e.id().equals("s1")) {
                throw new IllegalStateException("disk full");
            }
        });
        AtomicInteger computed = new AtomicInteger();
        assertThatThrownBy(() -> new EmbedRun(fiveWindows(), 1, executor(w -> computed.set(w)), writer, new RunStats(), RunListener.NONE).run())
                .hasMessage("disk full");
        assertThat(writer.written).containsExactly("s0");
        assertThat(writer.events).doesNotContain("commit").last().isEqualTo("abort after 1");
        assertThat(computed.get()).as("windows computed: the failure surfaces at the next hand-over, not at the end").isLessThanOrEqualTo(3);
    }

    @Test
    void aDeviceFailureLetsTheWindowBeingWrittenFinishBeforeTheAbort() throws Exception {
        CountDownLatch failing = new CountDownLatch(1);
        RecordingWriter writer = new RecordingWriter(e -> {
            if (e.id().equals("s1")) {
                try {
                    failing.await(10, TimeUnit.SECONDS); // still writing window 2 when window 3 fails
                    Thread.sleep(100);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertThatThrownBy(() -> new EmbedRun(fiveWindows(), 1, executor(w -> {
            if (w == 3) {
                failing.countDown();
                throw new DeviceFailureException("cuda:0 lost");
            }
        }), writer, new RunStats(), RunListener.NONE).run()).hasMessage("cuda:0 lost");
        assertThat(writer.written).containsExactly("s0", "s1");
        assertThat(writer.events).last().isEqualTo("abort after 2");
    }

    @Test
    void theNextWindowIsReadWhileTheDevicesComputeThisOne() throws Exception {
        RunStats stats = new RunStats();
        boolean[] readAhead = new boolean[1];
        RecordingWriter writer = new RecordingWriter(e -> { });
        new EmbedRun(fiveWindows(), 1, executor(w -> {
            if (w == 1) {
                // A slow first window: the reader goes on meanwhile, so window 2's record is read before window 1 ends.
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (stats.recordsRead() < 2 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                readAhead[0] = stats.recordsRead() >= 2;
            }
        }), writer, stats, RunListener.NONE).run();
        assertThat(readAhead[0]).as("window 2 read while window 1 computed").isTrue();
        assertThat(writer.written).containsExactly("s0", "s1", "s2", "s3", "s4");
        assertThat(writer.events.getLast()).isEqualTo("commit");
    }

    @Test
    void aReadingFailureComesAfterTheWindowsReadBeforeIt() throws Exception {
        Path input = Files.writeString(tmp.resolve("dup.fa"), ">a\nMKT\n>b\nMLS\n>a\nMKV\n");
        EmbedOptions options = new EmbedOptions(input.toString(), SPEC, 1022, 4096, DuplicateIds.ERROR, 1);
        RecordingWriter writer = new RecordingWriter(e -> { });
        AtomicInteger computed = new AtomicInteger();
        assertThatThrownBy(() -> new EmbedRun(options, 1, executor(computed::set), writer, new RunStats(), RunListener.NONE).run())
                .hasMessageContaining("duplicate id 'a'");
        assertThat(computed.get()).as("the two windows before the bad record were computed").isEqualTo(2);
        assertThat(writer.written).containsExactly("a", "b");
        assertThat(writer.events).last().isEqualTo("abort after 2");
    }
}
