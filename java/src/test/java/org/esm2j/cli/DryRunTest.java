package org.esm2j.cli;

import org.esm2j.ExitCode;
import org.esm2j.pipeline.ShardSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code embed --dry-run}: the plan on stdout, nothing computed or written. */
class DryRunTest {
    @TempDir
    Path tmp;

    @Test
    void printsThePlanAndWritesNothing() throws Exception {
        Path fasta = Cli.fasta(tmp.resolve("in.fa"), 1000, 10, 30, 3);
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("embed", "-q", "-m", CliRunner.TINY, "-i", fasta.toString(), "-o", out.toString(), "--dry-run",
                "--shard", "1/4", "--toks-per-batch", "512", "--part-size", "100");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("1,000 records, 1,000 sequences kept")
                .contains("1/4 (0-based): 250 sequences (kept sequences number 1, 5, 9, ...)")
                .contains("512 tokens per batch (--toks-per-batch)")
                .contains("250 sequences to compute")
                .contains("3 parts of up to 100 sequences")
                .contains("new output: starts from the first sequence");
        assertThat(r.out()).containsPattern("batches +\\d+ in 3 windows");
        assertThat(r.out()).containsPattern("output .*: about \\d+\\.\\d kB");
        assertThat(out).doesNotExist();
    }

    @Test
    void tellsWhatAResumeWouldSkipOrRefuse() throws Exception {
        Path fasta = Cli.fasta(tmp.resolve("in.fa"), 500, 10, 30, 4);
        Path out = tmp.resolve("out");
        assertThat(Main.run("embed", "-q", "-m", CliRunner.TINY, "-i", fasta.toString(), "-o", out.toString())).isZero();
        CliRunner.Result complete = CliRunner.run("embed", "-q", "-m", CliRunner.TINY, "-i", fasta.toString(), "-o", out.toString(), "--dry-run");
        assertThat(complete.out()).contains("complete: the finished output of this job is already there");
        CliRunner.Result other = CliRunner.run("embed", "-q", "-m", CliRunner.TINY, "-i", fasta.toString(), "-o", out.toString(), "--dry-run", "--repr-layers", "1");
        assertThat(other.exitCode()).isEqualTo(ExitCode.BAD_OUTPUT.code());
        assertThat(other.out()).contains("refused: the output holds a finished dataset made with other settings; --repr-layers: earlier [2], now [1]");
    }

    @Test
    void theShardDefaultsToTheSlurmArrayTask() {
        HpcOptions hpc = new HpcOptions();
        assertThat(hpc.shard(Map.of())).isEqualTo(ShardSpec.ALL);
        Map<String, String> env = Map.of("SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_MAX", "8",
                "SLURM_ARRAY_TASK_COUNT", "8", "SLURM_ARRAY_TASK_STEP", "1");
        assertThat(hpc.shard(env)).isEqualTo(new ShardSpec(3, 8));
        hpc.shard = "none";
        assertThat(hpc.shard(env)).isEqualTo(ShardSpec.ALL);
        hpc.shard = "2/5";
        assertThat(hpc.shard(env)).isEqualTo(new ShardSpec(2, 5));
    }

    @Test
    void helpListsTheExitCodes() {
        CliRunner.Result r = CliRunner.run("embed", "--help");
        assertThat(r.out()).contains("Exit codes:").contains("130").contains("interrupted").contains("--shard").contains("--dry-run");
    }
}
