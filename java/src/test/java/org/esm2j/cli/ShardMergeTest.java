package org.esm2j.cli;

import org.esm2j.ExitCode;
import org.esm2j.model.SafetensorsFile;
import org.esm2j.model.TensorInfo;
import org.esm2j.output.Datasets;
import org.esm2j.output.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code embed --shard K/N} on every K, then {@code merge}: the same dataset as one unsharded run, byte for byte. */
class ShardMergeTest {
    static final int SHARDS = 3;
    static final String[] OPTIONS = {"--include", "mean", "bos", "per_tok", "logits", "contacts", "--repr-layers", "0", "-1",
            "--duplicate-ids", "rename", "--part-size", "40", "-q"};

    @TempDir
    static Path dir;
    static Path fasta;
    static Path unsharded;
    static List<Path> shards = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void runs() throws IOException {
        Path base = Cli.fasta(dir.resolve("base.fa"), 300, 1, 40, 11);
        // Duplicate ids (renamed the same way in every shard) and records with no residues (skipped everywhere).
        String text = Files.readString(base) + ">s5 again\nMKV\n>empty\n*\n>s7\nLLLL\n>s5\nACDE\n>tail\nMPKV\n";
        fasta = Files.writeString(dir.resolve("in.fa"), text);
        unsharded = dir.resolve("unsharded");
        assertThat(embed(unsharded)).isZero();
        for (int k = 0; k < SHARDS; k++) {
            Path out = dir.resolve("shard-" + k);
            assertThat(embed(out, "--shard", k + "/" + SHARDS)).isZero();
            shards.add(out);
        }
    }

    static int embed(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("embed", "-m", CliRunner.TINY, "-i", fasta.toString(), "-o", out.toString()));
        args.addAll(List.of(OPTIONS));
        args.addAll(List.of(extra));
        return Main.run(args.toArray(String[]::new));
    }

    static CliRunner.Result merge(Path out, List<Path> inputs, String... extra) {
        List<String> args = new ArrayList<>(List.of("merge", "-q", "-o", out.toString()));
        args.addAll(List.of(extra));
        inputs.forEach(p -> args.add(p.toString()));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void shardsSplitTheKeptSequencesRoundRobin() throws IOException {
        List<String> all = Datasets.ids(unsharded);
        assertThat(all).contains("s5", "s5#2", "s5#3", "s7#2").doesNotContain("empty");
        for (int k = 0; k < SHARDS; k++) {
            List<String> expected = new ArrayList<>();
            for (int g = k; g < all.size(); g += SHARDS) {
                expected.add(all.get(g));
            }
            assertThat(Datasets.ids(shards.get(k))).as("shard " + k).isEqualTo(expected);
        }
    }

    @Test
    void mergedShardsEqualOneUnshardedRun() throws Exception {
        Path merged = tmp.resolve("merged");
        List<Path> shuffled = List.of(shards.get(2), shards.get(0), shards.get(1));
        CliRunner.Result r = merge(merged, shuffled);
        assertThat(r.exitCode()).as(r.err()).isZero();
        Datasets.assertSameData(merged, unsharded);
        Map<String, Object> m = Manifest.read(merged.resolve(Manifest.FILE));
        assertThat(m.get("identity")).isEqualTo(Manifest.read(unsharded.resolve(Manifest.FILE)).get("identity"));
        assertThat(embed(merged)).as("the merged dataset is the finished output of the unsharded job").isZero();
        assertThat(merge(merged, shards).exitCode()).as("an existing dataset is not replaced without --overwrite").isEqualTo(ExitCode.BAD_OUTPUT.code());
        assertThat(merge(merged, shards, "--overwrite").exitCode()).isZero();
        Datasets.assertSameData(merged, unsharded);
        assertNumpyReads(merged);
    }

    @Test
    void mergedAsSafetensorsEqualsAnUnshardedSafetensorsRun() {
        Path merged = tmp.resolve("merged.safetensors");
        CliRunner.Result r = merge(merged, shards, "--format", "safetensors");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path direct = tmp.resolve("direct.safetensors");
        assertThat(embed(direct, "--format", "safetensors")).isZero();
        try (SafetensorsFile a = SafetensorsFile.open(merged); SafetensorsFile b = SafetensorsFile.open(direct)) {
            assertThat(a.tensors().keySet()).isEqualTo(b.tensors().keySet()).contains("s5#3.per_tok.2", "tail.contacts");
            for (String name : b.tensors().keySet()) {
                TensorInfo x = a.get(name);
                TensorInfo y = b.get(name);
                assertThat(x.shape()).as(name).isEqualTo(y.shape());
                assertThat(x.data().mismatch(y.data())).as(name).isEqualTo(-1L);
            }
        }
    }

    @Test
    void missingRepeatedForeignOrUnfinishedShardsAreRefused() throws IOException {
        CliRunner.Result missing = merge(tmp.resolve("a"), List.of(shards.get(0), shards.get(1)));
        assertThat(missing.exitCode()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(missing.err()).contains("missing shard 2 of 0..2");

        CliRunner.Result twice = merge(tmp.resolve("b"), List.of(shards.get(0), shards.get(1), shards.get(2), shards.get(1)));
        assertThat(twice.exitCode()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(twice.err()).contains("shard 1/3 given twice");

        Path foreign = tmp.resolve("foreign");
        assertThat(embed(foreign, "--shard", "2/3", "--truncation-seq-length", "10")).isZero();
        CliRunner.Result mixed = merge(tmp.resolve("c"), List.of(shards.get(0), shards.get(1), foreign));
        assertThat(mixed.exitCode()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(mixed.err()).contains("is not from the same job").contains("--truncation-seq-length: earlier 1022, now 10");

        Path unfinished = tmp.resolve("unfinished");
        Files.createDirectories(unfinished.resolve("parts"));
        Manifest.write(unfinished.resolve("parts/progress.json"), Map.of("rows_finished", 40));
        CliRunner.Result notDone = merge(tmp.resolve("d"), List.of(shards.get(0), shards.get(1), unfinished));
        assertThat(notDone.exitCode()).isEqualTo(ExitCode.BAD_INPUT.code());
        assertThat(notDone.err()).contains("is not finished (40 sequences in finished parts so far)");

        for (String out : List.of("a", "b", "c", "d")) {
            assertThat(tmp.resolve(out).resolve(Manifest.FILE)).doesNotExist();
        }
    }

    @Test
    void moreShardsThanSequencesGivesEmptyShardsThatStillMerge() throws IOException {
        Path small = Files.writeString(tmp.resolve("small.fa"), ">a\nMKV\n>b\nMKVL\n>c\nMK\n");
        List<Path> outs = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            Path out = tmp.resolve("s" + k);
            assertThat(Main.run("embed", "-q", "-m", CliRunner.TINY, "-i", small.toString(), "-o", out.toString(), "--shard", k + "/5")).isZero();
            outs.add(out);
        }
        assertThat(Datasets.ids(outs.get(4))).isEmpty();
        Path merged = tmp.resolve("merged");
        assertThat(merge(merged, outs).exitCode()).isZero();
        Path direct = tmp.resolve("direct");
        assertThat(Main.run("embed", "-q", "-m", CliRunner.TINY, "-i", small.toString(), "-o", direct.toString())).isZero();
        Datasets.assertSameData(merged, direct);
    }

    /** numpy opens every merged array memory-mapped, and per-token rows follow the offsets. */
    private static void assertNumpyReads(Path merged) throws Exception {
        String script = """
                import json, sys, numpy as np
                d = sys.argv[1]
                m = json.load(open(d + '/manifest.json'))
                ids = open(d + '/ids.txt').read().split()
                assert len(ids) == m['rows'], (len(ids), m['rows'])
                for name, info in m['arrays'].items():
                    a = np.load(d + '/' + info['file'], mmap_mode='r')
                    assert list(a.shape) == info['shape'], name
                off = np.load(d + '/per_tok.offsets.npy', mmap_mode='r')
                pt = np.load(d + '/per_tok.2.npy', mmap_mode='r')
                mean = np.load(d + '/mean.2.npy', mmap_mode='r')
                i = ids.index('tail')
                assert np.allclose(pt[off[i]:off[i + 1]].mean(axis=0), mean[i], atol=1e-5)
                print('ok')
                """;
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", script, merged.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "python3 not available");
            return;
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assumeTrue(!out.contains("No module named 'numpy'"), "numpy not installed");
        assertThat(out.strip()).isEqualTo("ok");
    }
}
