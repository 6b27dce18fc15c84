package org.esm2j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads an npy dataset the way its users will, with the system {@code python3}'s numpy ({@code numpy.load(path,
 * mmap_mode="r")}), and compares every sequence with the tensor of the same name in a safetensors file.
 * Tests that use it are skipped (by assumption) where python3 or numpy is missing.
 */
public final class NumpyCheck {
    private NumpyCheck() {
    }

    /**
     * argv: npy_dir, safetensors, dtype of the npy arrays, tolerance (0: bit-identical; otherwise the relative L2 bound),
     * and "all" when every tensor of the safetensors file must have been compared (else the .tokens are left out).
     * Prints "compared N".
     */
    private static final String SCRIPT = """
            import json, struct, sys
            import numpy as np
            npy_dir, st_path, want_dtype, tol, every = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5] == "all"
            with open(st_path, "rb") as f:
                n = struct.unpack("<Q", f.read(8))[0]
                header = json.loads(f.read(n))
            base = 8 + n
            raw = np.memmap(st_path, dtype=np.uint8, mode="r")
            def st(name):
                t = header[name]
                b, e = t["data_offsets"]
                dt = {"F32": np.float32, "F16": np.float16, "I64": np.int64}[t["dtype"]]
                return np.frombuffer(raw[base + b:base + e], dtype=dt).reshape(t["shape"])
            manifest = json.load(open(npy_dir + "/manifest.json"))
            assert manifest["format"] == "esm2j-npy", manifest["format"]
            ids = open(npy_dir + "/" + manifest["ids"]).read().split("\\n")[:-1]
            assert len(ids) == manifest["rows"], (len(ids), manifest["rows"])
            def load(key):
                info = manifest["arrays"][key]
                a = np.load(npy_dir + "/" + info["file"], mmap_mode="r")
                assert isinstance(a, np.memmap), key
                assert list(a.shape) == info["shape"], (key, a.shape, info["shape"])
                assert a.dtype == np.dtype(info["dtype"]), (key, a.dtype, info["dtype"])
                return a
            seen = set()
            def same(actual, name):
                if name not in header:
                    assert not every, name + " is not in " + st_path
                    return
                expected = st(name)
                assert actual.dtype == np.dtype(want_dtype), (name, actual.dtype)
                assert actual.shape == expected.shape, (name, actual.shape, expected.shape)
                if tol == 0:
                    assert np.array_equal(actual, expected), (name, float(np.abs(actual.astype(np.float64) - expected).max()))
                else:
                    a = actual.astype(np.float64)
                    e = expected.astype(np.float64)
                    err = np.linalg.norm(a - e) / max(np.linalg.norm(e), 1e-300)
                    assert err <= tol, (name, err)
                seen.add(name)
            for key, info in manifest["arrays"].items():
                kind = info["kind"]
                if kind == "offsets":
                    continue
                a = load(key)
                if kind in ("mean", "bos"):
                    assert a.shape[0] == len(ids)
                    for i, id in enumerate(ids):
                        same(a[i], f"{id}.{kind}.{info['layer']}")
                    continue
                off = load(kind + ".offsets")
                assert off[0] == 0 and off[-1] == a.shape[0] and len(off) == len(ids) + 1, key
                assert np.all(np.diff(off) > 0), key
                for i, id in enumerate(ids):
                    block = a[off[i]:off[i + 1]]
                    if kind == "per_tok":
                        same(block, f"{id}.per_tok.{info['layer']}")
                    elif kind == "logits":
                        same(block, f"{id}.logits")
                    else:
                        r = int(round(len(block) ** 0.5))
                        assert r * r == len(block), (id, len(block))
                        same(block.reshape(r, r), f"{id}.contacts")
            missing = {k for k in header if k != "__metadata__" and (every or not k.endswith(".tokens"))} - seen
            assert not missing, sorted(missing)[:5]
            print("compared", len(seen))
            """;

    public static boolean available() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static void assumeAvailable() {
        assumeTrue(available(), "python3 with numpy is not available");
    }

    /**
     * Runs the comparison and returns how many tensors were compared; fails with numpy's message on any mismatch.
     *
     * @param tolerance 0 for bit-identical, else the relative L2 error allowed per tensor
     * @param every     whether every tensor of the safetensors file must have a counterpart in the dataset
     */
    public static int compare(Path npyDir, Path safetensors, String dtype, double tolerance, boolean every)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("esm2j-npy-check", ".py");
        try {
            Files.writeString(script, SCRIPT);
            Process p = new ProcessBuilder("python3", script.toString(), npyDir.toString(), safetensors.toString(), dtype,
                    Double.toString(tolerance), every ? "all" : "some").redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("python3 finished").isTrue();
            assertThat(p.exitValue()).as("numpy comparison of %s with %s:%n%s", npyDir, safetensors, output).isZero();
            assertThat(output.strip()).startsWith("compared ");
            return Integer.parseInt(output.strip().substring("compared ".length()));
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
