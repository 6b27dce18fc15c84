package org.esm2j.schedule;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** One window: its work, its progress, and how it ends. */
final class Round {
    private static final long IDLE_WAIT_MILLIS = 50;

    /** Every device of the run (a failed one stays in the list, marked). */
    private final List<Worker> workers;
    final OutputSpec spec;
    final Consumer<SequenceEmbedding> sink;
    final ConcurrentLinkedDeque<Piece> shared = new ConcurrentLinkedDeque<>();
    final AtomicLong remaining = new AtomicLong();
    final Object lock = new Object();
    volatile Throwable fatal;
    int active; // workers still in this round, guarded by lock

    Round(List<Batch> batches, OutputSpec spec, Consumer<SequenceEmbedding> sink, List<Worker> workers) {
        this.workers = workers;
        this.spec = spec;
        this.sink = sink;
        long n = 0;
        for (Batch b : batches) {
            shared.add(Piece.of(b, b.sequences()));
            n += b.size();
        }
        remaining.set(n);
    }

    boolean over() {
        return remaining.get() == 0 || fatal != null;
    }

    void delivered(int n) {
        if (remaining.addAndGet(-n) == 0) {
            wake();
        }
    }

    void requeue(List<Piece> pieces) {
        for (Piece p : pieces) {
            shared.addFirst(p);
        }
        wake();
    }

    void abort(Throwable t) {
        synchronized (lock) {
            if (fatal == null) {
                fatal = t;
            }
            lock.notifyAll();
        }
    }

    void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    void idleWait() {
        synchronized (lock) {
            if (!over()) {
                try {
                    lock.wait(IDLE_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    abort(new Esm2jException(ExitCode.INTERRUPTED, "interrupted"));
                }
            }
        }
    }

    void left() {
        synchronized (lock) {
            active--;
            lock.notifyAll();
        }
    }

    /** Waits until every worker has left the round (done, failed, or stopped by a fatal error). */
    void awaitEnd() {
        boolean interrupted = false;
        synchronized (lock) {
            while (active > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (fatal == null) {
                        fatal = new Esm2jException(ExitCode.INTERRUPTED, "interrupted");
                    }
                    lock.notifyAll();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when every live device has refused the piece (it does not fit in any of them even alone). */
    boolean refusedByAll(Piece p) {
        for (Worker w : workers) {
            if (!w.failed && !p.refusedBy().contains(w.device.id())) {
                return false;
            }
        }
        return true;
    }
}
