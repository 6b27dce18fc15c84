package org.esm2j.pipeline;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardSpecTest {

    @Test
    void parsesZeroBasedKOfN() {
        assertThat(ShardSpec.parse("0/4")).isEqualTo(new ShardSpec(0, 4));
        assertThat(ShardSpec.parse(" 3 / 4 ")).isEqualTo(new ShardSpec(3, 4));
        assertThatThrownBy(() -> ShardSpec.parse("4/4")).hasMessageContaining("0-based").hasMessageContaining("SLURM_ARRAY_TASK_ID-1");
        assertThatThrownBy(() -> ShardSpec.parse("1/0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ShardSpec.parse("3")).hasMessageContaining("expected K/N");
        assertThatThrownBy(() -> ShardSpec.parse("-1/3")).hasMessageContaining("expected K/N");
    }

    @Test
    void sharesAreRoundRobinAndCoverEverySequenceOnce() {
        for (int total = 0; total < 30; total++) {
            for (int n = 1; n <= 7; n++) {
                long sum = 0;
                for (int k = 0; k < n; k++) {
                    ShardSpec s = new ShardSpec(k, n);
                    long count = 0;
                    for (long g = 0; g < total; g++) {
                        count += s.contains(g) ? 1 : 0;
                    }
                    assertThat(s.share(total)).as(k + "/" + n + " of " + total).isEqualTo(count);
                    sum += count;
                }
                assertThat(sum).isEqualTo(total);
            }
        }
    }

    private static Map<String, String> slurm(String id, String min, String max, String count, String step) {
        Map<String, String> env = new HashMap<>();
        env.put("SLURM_ARRAY_TASK_ID", id);
        env.put("SLURM_ARRAY_TASK_MIN", min);
        env.put("SLURM_ARRAY_TASK_MAX", max);
        env.put("SLURM_ARRAY_TASK_COUNT", count);
        if (step != null) {
            env.put("SLURM_ARRAY_TASK_STEP", step);
        }
        return env;
    }

    @Test
    void slurmArraysFromZeroOrOneOrWithAStepGiveTheTasksPosition() {
        assertThat(ShardSpec.fromSlurm(Map.of())).isNull();
        assertThat(ShardSpec.fromSlurm(slurm("0", "0", "9", "10", "1")).shard()).isEqualTo(new ShardSpec(0, 10));
        assertThat(ShardSpec.fromSlurm(slurm("9", "0", "9", "10", null)).shard()).isEqualTo(new ShardSpec(9, 10));
        assertThat(ShardSpec.fromSlurm(slurm("1", "1", "10", "10", "1")).shard()).isEqualTo(new ShardSpec(0, 10));
        assertThat(ShardSpec.fromSlurm(slurm("10", "1", "10", "10", "1")).shard()).isEqualTo(new ShardSpec(9, 10));
        assertThat(ShardSpec.fromSlurm(slurm("6", "0", "8", "5", "2")).shard()).isEqualTo(new ShardSpec(3, 5));
        assertThat(ShardSpec.fromSlurm(slurm("3", "0", "9", "10", "1")).from()).contains("SLURM_ARRAY_TASK_ID=3");
    }

    @Test
    void aResubmittedListOfTasksIsRefused() {
        // sbatch --array=3,7 of a 10-task job: COUNT=2 would silently give shards 0/2 and 1/2
        assertThatThrownBy(() -> ShardSpec.fromSlurm(slurm("7", "3", "7", "2", "1")))
                .hasMessageContaining("not a plain range").hasMessageContaining("shard K/N explicitly");
        assertThatThrownBy(() -> ShardSpec.fromSlurm(Map.of("SLURM_ARRAY_TASK_ID", "2")))
                .hasMessageContaining("cannot tell the shard");
        assertThatThrownBy(() -> ShardSpec.fromSlurm(slurm("x", "0", "9", "10", "1"))).hasMessageContaining("is not a number");
    }
}
