package org.esm2j.progress;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LiveRegionTest {
    private static final String ESC = "\033[";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AtomicInteger columns = new AtomicInteger(40);
    private final LiveRegion region = new LiveRegion(out, columns::get, StandardCharsets.UTF_8);

    private String take() {
        String s = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return s;
    }

    @Test
    void firstFrameHidesTheCursorAndParksItAtTheEndOfTheLastLine() {
        region.show(List.of("cpu  8.2K tok/s", "total  62%"));
        assertThat(take()).isEqualTo(ESC + "?25l" + "cpu  8.2K tok/s\ntotal  62%");
    }

    @Test
    void redrawGoesBackToTheFirstLineAndErasesBelowInOneWrite() {
        region.show(List.of("a", "b", "c"));
        take();
        region.show(List.of("a2", "b2", "c2"));
        assertThat(take()).isEqualTo("\r" + ESC + "2A" + ESC + "J" + "a2\nb2\nc2");
    }

    @Test
    void anUnchangedFrameWritesNothing() {
        region.show(List.of("same"));
        take();
        region.show(List.of("same"));
        assertThat(take()).isEmpty();
    }

    @Test
    void textForAboveTheRegionScrollsAboveIt() {
        region.show(List.of("dev", "total"));
        take();
        byte[] log = "12:00:01 INFO  hello\n".getBytes(StandardCharsets.UTF_8);
        region.printAbove(log, 0, log.length);
        assertThat(take()).isEqualTo("\r" + ESC + "1A" + ESC + "J" + "12:00:01 INFO  hello\n" + "dev\ntotal");
    }

    @Test
    void textWithoutItsNewlineStillEndsTheLine() {
        region.show(List.of("dev"));
        take();
        byte[] partial = "no newline".getBytes(StandardCharsets.UTF_8);
        region.printAbove(partial, 0, partial.length);
        assertThat(take()).isEqualTo("\r" + ESC + "J" + "no newline\ndev");
    }

    @Test
    void linesAreCutShortOfTheLastColumn() {
        columns.set(10);
        region.show(List.of("0123456789abcdef"));
        assertThat(take()).endsWith("012345678");
    }

    @Test
    void afterTheTerminalNarrowsTheEraseCountsWrappedRows() {
        columns.set(40);
        region.show(List.of("x".repeat(30), "y".repeat(30)));
        take();
        columns.set(20);
        region.show(List.of("short", "lines"));
        // each 30-column line now takes two rows of 20: four rows, so up three
        assertThat(take()).startsWith("\r" + ESC + "3A" + ESC + "J");
    }

    @Test
    void closeErasesTheRegionAndShowsTheCursorOnce() {
        region.show(List.of("a", "b"));
        take();
        region.close();
        assertThat(take()).isEqualTo("\r" + ESC + "1A" + ESC + "J" + ESC + "?25h");
        region.close();
        region.closeOnExit();
        assertThat(take()).isEmpty();
    }

    @Test
    void afterCloseOutputPassesStraightThrough() {
        region.show(List.of("a"));
        region.close();
        take();
        region.show(List.of("ignored"));
        byte[] log = "late line\n".getBytes(StandardCharsets.UTF_8);
        region.printAbove(log, 0, log.length);
        assertThat(take()).isEqualTo("late line\n");
    }

    @Test
    void theExitHookRestoresTheCursorEvenWhileAnotherThreadIsStuckWriting() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        OutputStream stuckForOneThread = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (Thread.currentThread().getName().equals("stuck")) {
                    writing.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                synchronized (seen) {
                    seen.write(b, off, len);
                }
            }
        };
        LiveRegion stuck = new LiveRegion(stuckForOneThread, () -> 40, StandardCharsets.UTF_8);
        Thread writer = Thread.ofPlatform().name("stuck").start(() -> stuck.show(List.of("frame")));
        writing.await();
        long t0 = System.nanoTime();
        stuck.closeOnExit();
        long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
        release.countDown();
        writer.join();
        assertThat(waitedMillis).isLessThan(5_000);
        synchronized (seen) {
            assertThat(seen.toString(StandardCharsets.UTF_8)).contains(ESC + "?25h");
        }
    }
}
