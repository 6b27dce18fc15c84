package org.esm2j.hub;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.model.ModelLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
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
    static final Pattern GIT_SHA1 = Pattern.compile("[0-9a-f]{40}");
    /** Small files transformers' tokenizer needs; fetched when the repository has them. */
    private static final List<String> OPTIONAL_FILES = List.of("special_tokens_map.json", "tokenizer_config.json", "vocab.txt");
    static final int MAX_REDIRECTS = 10;

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

    static String location(HttpResponse<?> r, URI from) {
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

    Esm2jException httpError(int status, HttpResponse<?> r, String repo, String revision, String file, URI url) {
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

    HttpRequest.Builder request(URI url) {
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

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, URI url) {
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
                    new Transfer(this, retries, retryDelay, stallTimeout).run(f, blob);
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

}
