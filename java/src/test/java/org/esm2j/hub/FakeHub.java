package org.esm2j.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A model hub on localhost with the real hub's URL layout and headers: {@code /{org}/{name}/resolve/{revision}/{file}}
 * answers HEAD and GET with {@code X-Repo-Commit}; small files come directly with their git blob SHA-1 as ETag; large
 * (LFS) files answer 302 to a second server (the CDN, another origin) with {@code X-Linked-Etag} (SHA-256) and
 * {@code X-Linked-Size}; the CDN honours {@code Range: bytes=N-}. Errors carry {@code X-Error-Code} as the hub's do.
 * Switches make it cut a transfer short, serve corrupted bytes, or require a token.
 */
final class FakeHub implements AutoCloseable {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    /** One request as a server saw it. */
    record Request(String server, String method, String path, String range, String authorization) {
    }

    final String repo;
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final Set<String> lfs;
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer hub;
    private final HttpServer cdn;
    /** The CDN answers each request on its own thread, so a stalled transfer does not hold up the retry. */
    private final ExecutorService cdnThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-cdn");
        t.setDaemon(true);
        return t;
    });
    volatile long cutAfterBytes = -1;
    /** Bytes after which the CDN's next transfer stops sending and keeps the connection open (once). */
    volatile long stallAfterBytes = -1;
    /** Name of a file served with one bit flipped (from the hub or the CDN, whichever serves it). */
    volatile String corruptFile;
    volatile String requiredToken;

    FakeHub(String repo, Map<String, byte[]> files, Set<String> lfs) throws IOException {
        this.repo = repo;
        this.files.putAll(files);
        this.lfs = lfs;
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cdn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/", this::hub);
        cdn.createContext("/", this::cdn);
        cdn.setExecutor(cdnThreads);
        hub.start();
        cdn.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    List<Request> requests(String server, String method) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.server().equals(server) && r.method().equals(method)).toList();
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String gitSha1(byte[] b) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha1.digest(b));
    }

    private void record(String server, HttpExchange x) {
        requests.add(new Request(server, x.getRequestMethod(), x.getRequestURI().getPath(), x.getRequestHeaders().getFirst("Range"),
                x.getRequestHeaders().getFirst("Authorization")));
    }

    private void hub(HttpExchange x) throws IOException {
        record("hub", x);
        try (x) {
            String path = x.getRequestURI().getPath();
            String prefix = "/" + repo + "/resolve/";
            if (!path.startsWith(prefix)) {
                error(x, 404, "RepoNotFound", "Repository not found");
                return;
            }
            if (requiredToken != null && !("Bearer " + requiredToken).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                error(x, 401, "GatedRepo", "Access to this model is restricted");
                return;
            }
            String rest = path.substring(prefix.length());
            String revision = rest.substring(0, rest.indexOf('/'));
            String file = rest.substring(rest.indexOf('/') + 1);
            if (!revision.equals("main") && !revision.equals(COMMIT)) {
                error(x, 404, "RevisionNotFound", "Invalid rev id");
                return;
            }
            byte[] body = files.get(file);
            if (body == null) {
                error(x, 404, "EntryNotFound", "Entry not found");
                return;
            }
            x.getResponseHeaders().set("X-Repo-Commit", COMMIT);
            if (lfs.contains(file)) {
                String sha = sha256(body);
                x.getResponseHeaders().set("X-Linked-Etag", "\"" + sha + "\"");
                x.getResponseHeaders().set("X-Linked-Size", Long.toString(body.length));
                x.getResponseHeaders().set("ETag", "\"pointer-etag\"");
                x.getResponseHeaders().set("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/blobs/" + sha + "?signed=1");
                x.sendResponseHeaders(302, -1);
                return;
            }
            x.getResponseHeaders().set("ETag", "\"" + gitSha1(body) + "\"");
            send(x, file.equals(corruptFile) ? flipped(body) : body, 0);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void cdn(HttpExchange x) throws IOException {
        record("cdn", x);
        try (x) {
            String sha = x.getRequestURI().getPath().substring("/blobs/".length());
            byte[] body = null;
            for (var f : files.entrySet()) {
                if (sha256(f.getValue()).equals(sha)) {
                    body = f.getKey().equals(corruptFile) ? flipped(f.getValue()) : f.getValue();
                }
            }
            if (body == null) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            String range = x.getRequestHeaders().getFirst("Range");
            long from = range == null ? 0 : Long.parseLong(range.replace("bytes=", "").replace("-", ""));
            if (from >= body.length) {
                x.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                x.sendResponseHeaders(416, -1);
                return;
            }
            if (from > 0) {
                x.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            }
            send(x, body, from);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static byte[] flipped(byte[] body) {
        byte[] b = body.clone();
        b[b.length / 2] ^= 1;
        return b;
    }

    private void send(HttpExchange x, byte[] body, long from) throws IOException {
        long length = body.length - from;
        if (x.getRequestMethod().equals("HEAD")) {
            x.getResponseHeaders().set("Content-Length", Long.toString(length));
            x.sendResponseHeaders(from > 0 ? 206 : 200, -1);
            return;
        }
        long stall = stallAfterBytes;
        if (stall >= 0 && x.getHttpContext().getServer() == cdn) {
            stallAfterBytes = -1; // once
            sendFirst(x, body, from, stall);
            try {
                Thread.sleep(30_000); // a half-dead connection: open, silent
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("stalled on purpose");
        }
        long cut = cutAfterBytes;
        if (cut >= 0 && x.getHttpContext().getServer() == cdn) {
            cutAfterBytes = -1; // once
            sendFirst(x, body, from, cut);
            throw new IOException("connection cut on purpose"); // the exchange is dropped without finishing the body
        }
        x.sendResponseHeaders(from > 0 ? 206 : 200, length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body, (int) from, (int) length);
        }
    }

    /** Announces the whole remaining body but sends only its first {@code bytes}. */
    private static void sendFirst(HttpExchange x, byte[] body, long from, long bytes) throws IOException {
        long length = body.length - from;
        x.sendResponseHeaders(from > 0 ? 206 : 200, length);
        OutputStream out = x.getResponseBody();
        out.write(body, (int) from, (int) Math.min(bytes, length));
        out.flush();
    }

    private static void error(HttpExchange x, int status, String code, String message) throws IOException {
        x.getResponseHeaders().set("X-Error-Code", code);
        x.getResponseHeaders().set("X-Error-Message", message);
        x.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        cdnThreads.shutdownNow(); // wakes a stalled transfer
    }
}
