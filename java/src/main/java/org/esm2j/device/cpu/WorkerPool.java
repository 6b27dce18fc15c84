package org.esm2j.device.cpu;

import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A fixed set of platform threads that run data-parallel loops for the CPU kernels.
 *
 * <p>{@link #parallelFor} hands out indices through one atomic counter (cheap dynamic load balancing);
 * the calling thread works too, so a pool of N threads uses N cores with N-1 helpers.
 * The kernels' results never depend on which thread ran which index.
 */
public final class WorkerPool implements AutoCloseable {
    private final int threads;
    private final Thread[] helpers;
    private final BlockingQueue<Runnable>[] inboxes;
    private volatile boolean closed;

    @SuppressWarnings("unchecked")
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new InvalidParameterException(Parameter.THREADS, "{threads} must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.helpers = new Thread[threads - 1];
        this.inboxes = new BlockingQueue[threads - 1];
        for (int i = 0; i < helpers.length; i++) {
            BlockingQueue<Runnable> inbox = new ArrayBlockingQueue<>(1);
            inboxes[i] = inbox;
            helpers[i] = Thread.ofPlatform().daemon().name("esm2j-cpu-" + (i + 1)).start(() -> {
                while (!closed) {
                    try {
                        inbox.take().run();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} for every index in [0, n) across the pool and waits for all of them. */
    public void parallelFor(int n, IntConsumer body) {
        if (n <= 0) {
            return;
        }
        int workers = Math.min(threads, n);
        if (workers == 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger running = new AtomicInteger(workers);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Object done = new Object();
        Runnable loop = () -> {
            try {
                int i;
                while (failure.get() == null && (i = next.getAndIncrement()) < n) {
                    body.accept(i);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                if (running.decrementAndGet() == 0) {
                    synchronized (done) {
                        done.notifyAll();
                    }
                }
            }
        };
        for (int w = 0; w < workers - 1; w++) {
            try {
                inboxes[w].put(loop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting CPU workers", e);
            }
        }
        loop.run();
        boolean interrupted = false;
        synchronized (done) {
            while (running.get() > 0) {
                try {
                    done.wait();
                } catch (InterruptedException e) {
                    // Workers still write into the caller's buffers: wait for them before unwinding.
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread h : helpers) {
            h.interrupt();
        }
    }
}
