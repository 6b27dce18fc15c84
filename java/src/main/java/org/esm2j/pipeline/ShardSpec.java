package org.esm2j.pipeline;

import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which slice of the input a run embeds: shard {@code index} of {@code count}, 0-based.
 *
 * <p>Sequences are dealt round-robin: counting the sequences that are kept (after {@code --duplicate-ids} and
 * skipping empty ones) from 0 in input order, sequence {@code g} belongs to shard {@code g mod count}. Every
 * shard reads the whole input (so duplicate ids are handled the same way in all of them), shards get equal
 * counts within one and similar lengths whatever the order of the file, and {@code esm2j merge} restores the
 * input order by interleaving.
 *
 * @param index 0 .. count-1
 * @param count at least 1; 1 means no sharding
 */
public record ShardSpec(int index, int count) {
    public static final ShardSpec ALL = new ShardSpec(0, 1);
    private static final Pattern K_OF_N = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d+)\\s*");

    public ShardSpec {
        if (count < 1) {
            throw new InvalidParameterException(Parameter.SHARD, "the number of shards must be at least 1, got " + count);
        }
        if (index < 0 || index >= count) {
            throw new InvalidParameterException(Parameter.SHARD, "{shard} " + index + "/" + count + ": K is 0-based, so it must be 0.." + (count - 1)
                    + (index == count ? " (for a SLURM array numbered 1..N pass {shard} $((SLURM_ARRAY_TASK_ID-1))/N)" : ""));
        }
    }

    /** Parses {@code K/N}. */
    public static ShardSpec parse(String text) {
        Matcher m = K_OF_N.matcher(text);
        if (!m.matches()) {
            throw new InvalidParameterException(Parameter.SHARD, "{shard} " + text + ": expected K/N with 0 <= K < N, e.g. {shard} 0/8 (K is 0-based)");
        }
        try {
            return new ShardSpec(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(Parameter.SHARD, "{shard} " + text + ": number too large");
        }
    }

    /**
     * The shard a SLURM array task should take, from {@code SLURM_ARRAY_TASK_ID}, {@code _MIN}, {@code _MAX},
     * {@code _STEP} and {@code _COUNT}; null outside an array job. Arrays numbered from any start with any step
     * work ({@code --array=0-9}, {@code --array=1-10}, {@code --array=0-18:2}: the task's position in the range
     * is its shard). A list that is not such a range ({@code --array=1,4,9}, typical when resubmitting failed
     * tasks) is refused: the shard cannot be known from it, so pass {@code --shard} explicitly.
     */
    public static Derived fromSlurm(Map<String, String> env) {
        String id = env.get("SLURM_ARRAY_TASK_ID");
        if (id == null || id.isBlank()) {
            return null;
        }
        long task = number(env, "SLURM_ARRAY_TASK_ID");
        long count = env.containsKey("SLURM_ARRAY_TASK_COUNT") ? number(env, "SLURM_ARRAY_TASK_COUNT") : -1;
        long min = env.containsKey("SLURM_ARRAY_TASK_MIN") ? number(env, "SLURM_ARRAY_TASK_MIN") : -1;
        long max = env.containsKey("SLURM_ARRAY_TASK_MAX") ? number(env, "SLURM_ARRAY_TASK_MAX") : -1;
        long step = env.containsKey("SLURM_ARRAY_TASK_STEP") ? number(env, "SLURM_ARRAY_TASK_STEP") : 1;
        String seen = "SLURM_ARRAY_TASK_ID=" + task + ", SLURM_ARRAY_TASK_MIN=" + min + ", SLURM_ARRAY_TASK_MAX=" + max
                + ", SLURM_ARRAY_TASK_STEP=" + step + ", SLURM_ARRAY_TASK_COUNT=" + count;
        if (count < 1 || min < 0) {
            throw new InvalidParameterException(Parameter.SHARD, "inside a SLURM array job but cannot tell the shard (" + seen + "); pass {shard} K/N");
        }
        if (step < 1 || (max >= 0 && max != min + (count - 1) * step) || (task - min) % step != 0 || task < min) {
            throw new InvalidParameterException(Parameter.SHARD, "the SLURM array is not a plain range (" + seen + "), so the shard of this task cannot be "
                    + "derived (resubmitting some tasks of an array with --array=3,7 does this); pass {shard} K/N explicitly, "
                    + "e.g. {shard} ${SLURM_ARRAY_TASK_ID}/N for --array=0-(N-1)");
        }
        return new Derived(new ShardSpec((int) ((task - min) / step), (int) count), seen);
    }

    private static long number(Map<String, String> env, String name) {
        try {
            return Long.parseLong(env.get(name).strip());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(Parameter.SHARD, name + "=" + env.get(name) + " is not a number; pass {shard} K/N");
        }
    }

    /**
     * A shard derived from the environment, with what it was derived from (for the log).
     */
    public record Derived(ShardSpec shard, String from) {
    }

    public boolean sharded() {
        return count > 1;
    }

    /** Whether kept sequence number {@code g} (0-based, whole input) belongs to this shard. */
    public boolean contains(long g) {
        return g % count == index;
    }

    /** How many of {@code total} kept sequences this shard holds. */
    public long share(long total) {
        return total <= index ? 0 : (total - index - 1) / count + 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
