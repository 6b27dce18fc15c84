package org.esm2j.hub;

import org.esm2j.ByteSizes;
import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.model.ModelLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Downloads a model's {@code config.json} and safetensors weights from the model hub into the local hub cache,
 * laid out as huggingface_hub lays it out, so that transformers finds the files too:
 *
 * <pre>
 *   $HF_HUB_CACHE/models--org--name/blobs/&lt;etag&gt;                    the file, named by its hash
 *                                  snapshots/&lt;commit&gt;/&lt;file&gt;        symlink to ../../blobs/&lt;etag&gt;
 *                                  refs/main                         the commit
 * </pre>
 *
 * <p>Per file: a HEAD on {@code $HF_ENDPOINT/<repo>/resolve/<revision>/<file>} (relative redirects followed,
 * a redirect to the CDN kept as the download address) gives the commit ({@code X-Repo-Commit}), the hash
 * ({@code X-Linked-Etag} or {@code ETag}: SHA-256 for LFS files, the git blob SHA-1 otherwise) and the size
 * ({@code X-Linked-Size} or {@code Content-Length}). The download goes to {@code blobs/<etag>.incomplete},
 * continues an earlier one with an HTTP Range request (also after a dropped connection, a few times), and is
 * published only after its size and hash match. Every file is taken at the commit of the first answer, so a
 * push to the repository during the download cannot mix versions. {@code HF_TOKEN} is sent to the hub (never
 * to another host a redirect leads to); {@code HF_HUB_OFFLINE=1} allows no network at all.
 */
public final class HubDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(HubDownloader.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern GIT_SHA1 = Pattern.compile("[0-9a-f]{40}");
    /** Small files transformers' tokenizer needs; fetched when the repository has them. */
    private static final List<String> OPTIONAL_FILES = List.of("special_tokens_map.json", "tokenizer_config.json", "vocab.txt");
    private static final int MAX_REDIRECTS = 10;

    private final String endpoint;
    private final String token;
    private final boolean offline;
    private final Path cache;
    private final ModelLocator locator;
    private final HttpClient http;
    private final String userAgent;
    private final int retries;
    private final Duration stallTimeout;
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);
    /** One daemon thread for all transfers' stall checks: it only reads a timestamp and, rarely, closes a stream. */
    private static final ScheduledExecutorService STALL_WATCH = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "esm2j-download-watch");
        t.setDaemon(true);
        return t;
    });
    private final Duration retryDelay;

    /** Metadata of one file at one commit. */
    record FileInfo(String file, String commit, String etag, long size, URI location) {
    }

    /**
     * @param env        where HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE, HF_HUB_CACHE / HF_HOME are read (System.getenv() in the CLI)
     * @param userAgent  sent with every request
     * @param retries    further attempts after a dropped or failed transfer (each resumes where the last stopped)
     * @param retryDelay wait before the first retry (doubling after each)
     */
    public HubDownloader(Map<String, String> env, String userAgent, int retries, Duration retryDelay) {
        this(env, userAgent, retries, retryDelay, DEFAULT_STALL_TIMEOUT);
    }

    /**
     * @param stallTimeout a transfer that delivers no byte for this long is dropped and counts as a broken transfer
     *                     (retried from where it stopped): a half-dead connection would otherwise hang the job until
     *                     the cluster's time limit, since the request timeout only covers the response headers
     */
    public HubDownloader(Map<String, String> env, String userAgent, int retries, Duration retryDelay, Duration stallTimeout) {
        String ep = env.getOrDefault("HF_ENDPOINT", "");
        this.endpoint = (ep.isBlank() ? "https://huggingface.co" : ep.strip()).replaceAll("/+$", "");
        this.token = token(env);
        this.offline = truthy(env.get("HF_HUB_OFFLINE"));
        this.locator = new ModelLocator(env);
        this.cache = locator.hubCache();
        this.userAgent = userAgent;
        this.retries = retries;
        this.retryDelay = retryDelay;
        this.stallTimeout = stallTimeout;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(20)).build();
    }

    static boolean truthy(String v) {
        return v != null && List.of("1", "on", "yes", "true").contains(v.strip().toLowerCase(Locale.ROOT));
    }

    /** HF_TOKEN, the older HUGGING_FACE_HUB_TOKEN, or the file {@code huggingface-cli login} writes. */
    private static String token(Map<String, String> env) {
        for (String name : List.of("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")) {
            String t = env.get(name);
            if (t != null && !t.isBlank()) {
                return t.strip();
            }
        }
        String path = env.get("HF_TOKEN_PATH");
        Path file = path != null && !path.isBlank() ? Path.of(path)
                : env.get("HF_HOME") != null && !env.get("HF_HOME").isBlank() ? Path.of(env.get("HF_HOME"), "token")
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache", "huggingface", "token");
        try {
            return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    public Path cache() {
        return cache;
    }

    /**
     * Makes {@code repo} at {@code revision} available in the cache and returns its snapshot directory. Files
     * already in the cache are not downloaded again.
     */
    public Path fetch(String repo, String revision) {
        String spec = revision.equals("main") ? repo : repo + "@" + revision;
        if (offline) {
            try {
                Path dir = locator.resolve(spec);
                LOG.info("HF_HUB_OFFLINE is set: {} is already in the cache at {}; nothing downloaded", spec, dir);
                return dir;
            } catch (Esm2jException e) {
                throw Esm2jException.badModel("HF_HUB_OFFLINE is set, so nothing may be downloaded, and " + spec + " is not (completely) in the hub cache "
                        + cache + ". Run 'esm2j fetch " + spec + "' where there is network access (on a cluster: the login node, "
                        + "with the same HF_HUB_CACHE on a shared file system), or unset HF_HUB_OFFLINE.");
            }
        }
        Path repoDir = cache.resolve("models--" + repo.replace("/", "--"));
        FileInfo config = head(repo, revision, "config.json", true);
        String commit = config.commit();
        if (commit == null || !GIT_SHA1.matcher(commit).matches()) {
            throw Esm2jException.badModel(endpoint + " gave no commit (X-Repo-Commit) for " + repo + "@" + revision + ": is HF_ENDPOINT a model hub?");
        }
        Path snapshot = repoDir.resolve("snapshots").resolve(commit);
        List<FileInfo> files = new ArrayList<>();
        files.add(config);
        FileInfo weights = head(repo, commit, "model.safetensors", false);
        if (weights != null) {
            files.add(weights);
        } else {
            FileInfo index = head(repo, commit, "model.safetensors.index.json", false);
            if (index == null) {
                throw Esm2jException.badModel(repo + " has no model.safetensors nor model.safetensors.index.json at " + commit
                        + " (esm2j reads safetensors; a repository with only pytorch_model.bin must be converted first)");
            }
            Path indexFile = download(repoDir, snapshot, index);
            for (String shard : shardNames(indexFile)) {
                files.add(head(repo, commit, shard, true));
            }
        }
        for (String optional : OPTIONAL_FILES) {
            FileInfo f = head(repo, commit, optional, false);
            if (f != null) {
                files.add(f);
            }
        }
        for (FileInfo f : files) {
            download(repoDir, snapshot, f);
        }
        if (!revision.equals(commit)) {
            writeRef(repoDir, revision, commit);
        }
        LOG.info("{} ({} at commit {}) is in {}", repo, revision, commit, snapshot);
        return snapshot;
    }

    private static List<String> shardNames(Path index) {
        try {
            Map<?, ?> m = JsonMapper.builder().build().readValue(Files.readString(index), Map.class);
            if (!(m.get("weight_map") instanceof Map<?, ?> map)) {
                throw Esm2jException.badModel(index + ": no weight_map");
            }
            TreeSet<String> names = new TreeSet<>();
            map.values().forEach(v -> names.add(String.valueOf(v)));
            for (String n : names) {
                if (n.contains("..") || n.startsWith("/")) {
                    throw Esm2jException.badModel(index + ": shard name '" + n + "' points outside the repository");
                }
            }
            return new ArrayList<>(names);
        } catch (IOException | tools.jackson.core.JacksonException e) {
            throw Esm2jException.badModel("cannot read " + index + ": " + e.getMessage());
        }
    }

    private URI resolveUrl(String repo, String revision, String file) {
        StringBuilder path = new StringBuilder();
        for (String part : file.split("/")) {
            path.append('/').append(encode(part));
        }
        return URI.create(endpoint + "/" + repo + "/resolve/" + encode(revision) + path);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The file's metadata; null when {@code required} is false and the repository has no such file. */
    FileInfo head(String repo, String revision, String file, boolean required) {
        URI url = resolveUrl(repo, revision, file);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> r = send(request(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding(), url);
            int status = r.statusCode();
            if (status >= 300 && status < 400) {
                URI target = url.resolve(location(r, url));
                if (sameOrigin(target, url)) {
                    url = target; // a renamed repository: ask again there
                    continue;
                }
                return info(file, r, target); // the CDN: its address is where the bytes are
            }
            if (status == 404 && !required && !"RepoNotFound".equals(r.headers().firstValue("X-Error-Code").orElse(""))) {
                return null;
            }
            if (status != 200) {
                throw httpError(status, r, repo, revision, file, url);
            }
            return info(file, r, url);
        }
        throw Esm2jException.badModel(url + ": more than " + MAX_REDIRECTS + " redirects");
    }

    private static String location(HttpResponse<?> r, URI from) {
        return r.headers().firstValue("Location").orElseThrow(() -> Esm2jException.badModel(from + " redirected without a Location"));
    }

    private static FileInfo info(String file, HttpResponse<?> r, URI location) {
        var h = r.headers();
        String etag = h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).map(HubDownloader::normalizeEtag).orElse(null);
        long size = h.firstValue("X-Linked-Size").or(() -> h.firstValue("Content-Length")).map(Long::parseLong).orElse(-1L);
        if (etag == null || etag.isEmpty()) {
            throw Esm2jException.badModel(location + ": the server sent no ETag, so the file cannot be stored by hash or verified");
        }
        return new FileInfo(file, h.firstValue("X-Repo-Commit").orElse(null), etag, size, location);
    }

    static String normalizeEtag(String etag) {
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.replace("\"", "");
    }

    private Esm2jException httpError(int status, HttpResponse<?> r, String repo, String revision, String file, URI url) {
        String code = r.headers().firstValue("X-Error-Code").orElse("");
        String serverSays = r.headers().firstValue("X-Error-Message").map(m -> " (the hub says: " + m + ")").orElse("");
        if (status == 401 || status == 403) {
            return Esm2jException.badModel("access to " + repo + " was refused (HTTP " + status + ")" + serverSays + ": the repository is gated or private. "
                    + (token == null ? "Accept its terms on the hub, then set HF_TOKEN to a token with read access."
                    : "The token in HF_TOKEN was not accepted or has no access to it."));
        }
        if (status == 404) {
            return Esm2jException.badModel(switch (code) {
                case "RepoNotFound" -> "no repository " + repo + " at " + endpoint + serverSays + " (check the name; a private repository also answers "
                        + "404 without a valid HF_TOKEN)";
                case "RevisionNotFound" -> repo + " has no revision '" + revision + "'" + serverSays;
                default -> repo + " has no file " + file + " at revision " + revision + " (" + url + " answered 404)" + serverSays;
            });
        }
        return new Esm2jException(ExitCode.NETWORK, url + " answered HTTP " + status + serverSays + "; try again later");
    }

    private HttpRequest.Builder request(URI url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60)).header("User-Agent", userAgent)
                .header("Accept-Encoding", "identity");
        if (token != null && sameOrigin(url, URI.create(endpoint))) { // never to the CDN or another host
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, URI url) {
        try {
            return http.send(request, handler);
        } catch (ConnectException | HttpConnectTimeoutException | UnknownHostException e) {
            throw unreachable(url, e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnknownHostException || e.getCause() instanceof ConnectException) {
                throw unreachable(url, e);
            }
            throw new Esm2jException(ExitCode.NETWORK, url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Esm2jException(ExitCode.INTERRUPTED, "interrupted");
        }
    }

    private Esm2jException unreachable(URI url, Exception e) {
        return new Esm2jException(ExitCode.NETWORK, "cannot reach " + url.getScheme() + "://" + url.getAuthority() + " (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "). Compute nodes of a cluster often have no internet access: run "
                + "'esm2j fetch' on a login node with the same HF_HUB_CACHE, then embed with HF_HUB_OFFLINE=1. Behind a proxy, "
                + "pass -Djava.net.useSystemProxies=true or -Dhttps.proxyHost=... in ESM2J_JAVA_OPTS.", e);
    }

    /** Puts the file in the cache (unless it is there) and links it into the snapshot; returns the snapshot path. */
    private Path download(Path repoDir, Path snapshot, FileInfo f) {
        Path blobs = repoDir.resolve("blobs");
        Path blob = blobs.resolve(f.etag());
        Path link = snapshot.resolve(f.file());
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(link.getParent());
            Path lockFile = cache.resolve(".locks").resolve(repoDir.getFileName().toString()).resolve(f.etag() + ".lock");
            Files.createDirectories(lockFile.getParent());
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lock(lockChannel, f)) {
                if (!(Files.isRegularFile(blob) && (f.size() < 0 || Files.size(blob) == f.size()))) {
                    transfer(f, blob);
                } else {
                    LOG.debug("{} already in the cache ({})", f.file(), blob);
                }
            }
            linkInto(link, blob);
            return link;
        } catch (IOException e) {
            throw Esm2jException.badOutput("cannot write to the hub cache " + cache + ": " + e.getMessage() + " (set HF_HUB_CACHE to a writable directory)", e);
        }
    }

    private static FileLock lock(FileChannel channel, FileInfo f) {
        try {
            FileLock l = channel.tryLock();
            if (l == null) {
                LOG.info("{}: another process is downloading it; waiting", f.file());
                l = channel.lock();
            }
            return l;
        } catch (IOException e) {
            LOG.debug("no lock for {} ({}); going on without", f.file(), e.getMessage());
            return null;
        }
    }

    private void transfer(FileInfo f, Path blob) throws IOException {
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
            if (GIT_SHA1.matcher(f.etag()).matches() && f.size() >= 0) {
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
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = request(url).GET();
            if (have > 0) {
                b.header("Range", "bytes=" + have + "-");
            }
            r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream(), url);
            if (r.statusCode() >= 300 && r.statusCode() < 400) {
                r.body().close();
                url = url.resolve(location(r, url));
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
            throw httpError(status, r, "", "", f.file(), url);
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

    private static void linkInto(Path link, Path blob) throws IOException {
        Path target = link.getParent().relativize(blob);
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
            return;
        }
        Path tmp = link.resolveSibling(link.getFileName() + ".esm2j-link");
        Files.deleteIfExists(tmp);
        try {
            Files.createSymbolicLink(tmp, target);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING); // no symlinks here: a copy, as huggingface_hub does
        }
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeRef(Path repoDir, String revision, String commit) throws IllegalStateException {
        Path ref = repoDir.resolve("refs").resolve(revision);
        try {
            Files.createDirectories(ref.getParent());
            Path tmp = ref.resolveSibling(ref.getFileName() + ".esm2j-tmp");
            Files.writeString(tmp, commit);
            Files.move(tmp, ref, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw Esm2jException.badOutput("cannot write " + ref + ": " + e.getMessage(), e);
        }
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
        return b < 0 ? "?" : ByteSizes.human(b);
    }
}
