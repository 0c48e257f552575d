package io.github.natgrad.linalg;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The threads that share a pass of {@link SparseKernels} over a large sparse matrix: a pool of daemon threads
 * named {@code natgrad-sparse-N}, made at the first pass that uses it, one fewer than the parts of a pass (the
 * calling thread runs the first part). Daemon threads never keep the JVM alive, and the pool changes no setting of
 * the process. Passes from several threads at once share the pool and wait for their own parts only.
 */
final class SparseThreads {
    private static final int THREADS = configured();
    private static volatile ExecutorService pool;

    private SparseThreads() {
    }

    /** The parts a large pass is cut into: {@code natgrad.sparse.threads} if set, else the processors, at most 8. */
    static int threads() {
        return THREADS;
    }

    private static int configured() {
        String value = System.getProperty("natgrad.sparse.threads");
        if (value == null || value.isBlank()) {
            return Math.min(8, Runtime.getRuntime().availableProcessors());
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("natgrad.sparse.threads must be a whole number of threads >= 1, got '"
                + value + "'");
    }

    /** Runs {@code part.accept(t)} for t = 0 … parts − 1, part 0 on this thread, and returns when all are done. */
    static void run(int parts, IntConsumer part) {
        if (parts == 1) {
            part.accept(0);
            return;
        }
        ExecutorService p = pool(parts - 1);
        Future<?>[] others = new Future<?>[parts - 1];
        for (int t = 1; t < parts; t++) {
            int index = t;
            others[t - 1] = p.submit(() -> part.accept(index));
        }
        RuntimeException failure = null;
        try {
            part.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> f : others) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the parts write into the caller's arrays: wait for them all the same
                } catch (ExecutionException e) {
                    if (failure == null) {
                        Throwable cause = e.getCause();
                        failure = cause instanceof RuntimeException r ? r
                                : new IllegalStateException("a part of a sparse pass failed", cause);
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static ExecutorService pool(int size) {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (SparseThreads.class) {
                p = pool;
                if (p == null) {
                    AtomicInteger count = new AtomicInteger();
                    p = Executors.newFixedThreadPool(Math.max(size, THREADS - 1), r -> {
                        Thread t = new Thread(r, "natgrad-sparse-" + count.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                    pool = p;
                }
            }
        }
        return p;
    }
}
