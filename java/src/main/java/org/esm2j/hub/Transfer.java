package org.esm2j.hub;

import org.esm2j.Units;
import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.hub.HubDownloader.FileInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * One file's transfer from the hub into the cache: the loop that resumes a partial {@code .incomplete} file with a
 * range request, retries a broken transfer (doubling the wait), drops a transfer that stalls, and checks the result
 * against the hub's hash (SHA-256 for LFS files, the git blob SHA-1 for small ones) before moving it into place.
 */
final class Transfer {
    /** The downloader's logger: a fetch logs as one thing. */
    private static final Logger LOG = LoggerFactory.getLogger(HubDownloader.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** One daemon thread for all transfers' stall checks: it only reads a timestamp and, rarely, closes a stream. */
    private static final ScheduledExecutorService STALL_WATCH = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "esm2j-download-watch");
        t.setDaemon(true);
        return t;
    });

    private final HubDownloader hub;
    private final int retries;
    private final Duration retryDelay;
    private final Duration stallTimeout;

    Transfer(HubDownloader hub, int retries, Duration retryDelay, Duration stallTimeout) {
        this.hub = hub;
        this.retries = retries;
        this.retryDelay = retryDelay;
        this.stallTimeout = stallTimeout;
    }

    /** Downloads {@code f} into {@code blob}: resumes a partial file, retries broken transfers, verifies the hash. */
    void run(FileInfo f, Path blob) throws IOException {
        Path incomplete = blob.resolveSibling(blob.getFileName() + ".incomplete");
        MessageDigest digest = digestFor(f);
        long have = Files.isRegularFile(incomplete) ? Files.size(incomplete) : 0;
        if (f.size() >= 0 && have > f.size()) {
            Files.delete(incomplete);
            have = 0;
        }
        if (have > 0) {
            LOG.info("{}: resuming the download at {} of {}", f.file(), human(have), human(f.size()));
            hashExisting(incomplete, digest);
        }
        Duration wait = retryDelay;
        for (int attempt = 0; ; attempt++) {
            try {
                MessageDigest[] holder = {digest};
                have = get(f, incomplete, have, holder);
                digest = holder[0];
                break;
            } catch (Esm2jException e) {
                if (e.exitCode() != ExitCode.NETWORK || attempt >= retries) {
                    throw e;
                }
                LOG.warn("{}: {}; retrying in {} s from {} ({} of {} retries)", f.file(), e.getMessage(), wait.toSeconds(), human(have), attempt + 1, retries);
                sleep(wait);
                wait = wait.multipliedBy(2);
                have = Files.isRegularFile(incomplete) ? Files.size(incomplete) : 0;
                digest = digestFor(f);
                hashExisting(incomplete, digest);
            }
        }
        if (f.size() >= 0 && have != f.size()) {
            throw new Esm2jException(ExitCode.NETWORK, f.file() + ": got " + have + " bytes, the hub announced " + f.size() + "; run again to resume");
        }
        if (digest != null) {
            String got = HexFormat.of().formatHex(digest.digest());
            if (!got.equals(f.etag())) {
                Files.deleteIfExists(incomplete);
                throw new Esm2jException(ExitCode.NETWORK, f.file() + " is corrupted: its " + digest.getAlgorithm() + " is " + got + " but the hub published "
                        + f.etag() + ". The download was discarded; run again to download it afresh.");
            }
        } else {
            LOG.warn("{}: the hub's ETag {} is not a SHA-256 or git hash; only the size was checked", f.file(), f.etag());
        }
        Files.move(incomplete, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("{}: {} downloaded and verified", f.file(), human(have));
    }

    /** SHA-256 for LFS files (etag = sha256), the git blob SHA-1 for small ones; null when the etag is neither. */
    private static MessageDigest digestFor(FileInfo f) {
        try {
            if (SHA256.matcher(f.etag()).matches()) {
                return MessageDigest.getInstance("SHA-256");
            }
            if (HubDownloader.GIT_SHA1.matcher(f.etag()).matches() && f.size() >= 0) {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                sha1.update(("blob " + f.size() + "\0").getBytes(StandardCharsets.US_ASCII));
                return sha1;
            }
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void hashExisting(Path file, MessageDigest digest) throws IOException {
        if (digest == null || !Files.isRegularFile(file)) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
        }
    }

    /** One GET from {@code have} on, appended to {@code incomplete}; returns the bytes the file then holds. */
    private long get(FileInfo f, Path incomplete, long have, MessageDigest[] digestHolder) throws IOException {
        MessageDigest digest = digestHolder[0];
        URI url = f.location();
        HttpResponse<InputStream> r = null;
        for (int hop = 0; hop <= HubDownloader.MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = hub.request(url).GET();
            if (have > 0) {
                b.header("Range", "bytes=" + have + "-");
            }
            r = hub.send(b.build(), HttpResponse.BodyHandlers.ofInputStream(), url);
            if (r.statusCode() >= 300 && r.statusCode() < 400) {
                r.body().close();
                url = url.resolve(HubDownloader.location(r, url));
                continue;
            }
            break;
        }
        int status = r.statusCode();
        if (status == 416 && f.size() >= 0 && have == f.size()) {
            r.body().close();
            return have; // everything was already there
        }
        boolean append = status == 206 && have > 0;
        if (status != 200 && status != 206) {
            r.body().close();
            if (status == 416) {
                Files.deleteIfExists(incomplete);
                throw new Esm2jException(ExitCode.NETWORK, f.file() + ": the server refused to resume at byte " + have + "; the partial file was discarded, run again");
            }
            throw hub.httpError(status, r, "", "", f.file(), url);
        }
        if (!append && have > 0) {
            LOG.info("{}: the server does not resume downloads; starting over", f.file());
            digest = digestFor(f);
            digestHolder[0] = digest;
            have = 0;
        }
        long startedAt = have;
        long t0 = System.nanoTime();
        long lastLog = t0;
        InputStream body = r.body();
        AtomicLong lastByteAt = new AtomicLong(t0);
        AtomicBoolean stalled = new AtomicBoolean();
        Thread reader = Thread.currentThread();
        long stallNanos = stallTimeout.toNanos();
        long checkEvery = Math.max(1, Math.min(1000, stallTimeout.toMillis() / 4));
        AtomicBoolean finished = new AtomicBoolean();
        ScheduledFuture<?> watch = STALL_WATCH.scheduleWithFixedDelay(() -> {
            synchronized (finished) { // never interrupts the reader once it has left this transfer
                if (finished.get() || stalled.get() || System.nanoTime() - lastByteAt.get() <= stallNanos) {
                    return;
                }
                stalled.set(true);
                try {
                    body.close(); // makes the blocked read fail
                } catch (IOException ignored) {
                    // the read is interrupted below either way
                }
                reader.interrupt(); // in case close does not wake a read waiting for the next chunk
            }
        }, checkEvery, checkEvery, TimeUnit.MILLISECONDS);
        try (InputStream in = body;
             FileChannel out = FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = readUnlessStalled(in, buf, stalled)) > 0) {
                lastByteAt.set(System.nanoTime());
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                if (digest != null) {
                    digest.update(buf, 0, n);
                }
                have += n;
                long now = System.nanoTime();
                if (now - lastLog > 10_000_000_000L) {
                    lastLog = now;
                    LOG.info("{}: {} of {} ({}/s)", f.file(), human(have), human(f.size()), human((long) ((have - startedAt) / ((now - t0) / 1e9))));
                }
            }
            out.force(true);
        } catch (IOException e) {
            String why = stalled.get() ? "no data for " + stallTimeoutText() : e.getMessage();
            throw new Esm2jException(ExitCode.NETWORK, "the transfer of " + f.file() + " broke off at " + human(have) + " (" + why + ")", e);
        } finally {
            watch.cancel(false);
            synchronized (finished) {
                finished.set(true);
                if (stalled.get()) {
                    Thread.interrupted(); // our own interrupt, not the user's: the retry may sleep
                }
            }
        }
        if (stalled.get()) {
            // The stream was closed under a read that may have reported a clean end: not the whole file.
            throw new Esm2jException(ExitCode.NETWORK, "the transfer of " + f.file() + " broke off at " + human(have) + " (no data for "
                    + stallTimeoutText() + ")");
        }
        return Files.size(incomplete);
    }

    private String stallTimeoutText() {
        return stallTimeout.toMillis() % 1000 == 0 ? stallTimeout.toSeconds() + " s" : stallTimeout.toMillis() + " ms";
    }

    /** A read that the stall watch can break: its close or interrupt surfaces here as an IOException. */
    private static int readUnlessStalled(InputStream in, byte[] buf, AtomicBoolean stalled) throws IOException {
        int n = in.read(buf);
        if (stalled.get()) {
            throw new IOException("stalled");
        }
        return n;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Esm2jException(ExitCode.INTERRUPTED, "interrupted");
        }
    }

    private static String human(long b) {
        return Units.byteSize(b);
    }
}
