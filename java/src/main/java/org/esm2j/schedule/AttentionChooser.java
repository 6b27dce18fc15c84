package org.esm2j.schedule;

import org.esm2j.Units;
import org.esm2j.device.AttentionBackend;
import org.esm2j.device.AttentionSwitch;
import org.esm2j.device.DeviceOutOfMemoryException;
import org.esm2j.device.EncoderDevice;
import org.esm2j.device.OutputSpec;
import org.esm2j.tokens.TokenizedSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Chooses a device's attention backend by measurement: the batch the device was sized for ({@code budget} tokens of
 * {@code length}-token probe sequences) runs with each backend it offers, and the faster is kept.
 *
 * <p>Candidates are the offered backends but the reference kernel (the simplest correct one, tens of times slower:
 * only on request). Each runs the batch once untimed (cuDNN builds its plan for the shape then, and a backend that
 * cannot run the shape shows it: the device reports that it fell back, and the backend is dropped with the device's
 * reason), then {@link #TIMED_RUNS} timed runs, interleaved between backends so that clocks and other load treat them
 * alike; a backend's time is its fastest run. With one candidate nothing is run.
 *
 * <p>On an NVIDIA H200 (2026-12-04, 650M shape, bf16) cuDNN's attention made the whole forward pass 21% faster than
 * the flash kernel (334k against 276k tokens/s): measured, not assumed, because the flash kernel may win elsewhere
 * (another card, another cuDNN, head dims cuDNN serves badly) and cuDNN may be missing.
 *
 * <p><b>Cache.</b> The choice is kept in the {@link SizingCache} entry of the budget it was measured at (the same key:
 * kind of GPU, dtype, checkpoint, probe length, outputs), so the next run on that kind of GPU neither searches the
 * budget nor times the backends. With {@code --toks-per-batch} the entry is the fixed budget's own. An explicit
 * {@code ESM2J_ATTENTION} overrides the measurement and the cache.
 */
final class AttentionChooser {
    /** The scheduler's logger: the log reads as one scheduler, whichever file a line comes from. */
    private static final Logger LOG = LoggerFactory.getLogger(DeviceScheduler.class);
    static final int TIMED_RUNS = 2;

    /**
     * What the measurement found.
     *
     * @param best    the faster backend
     * @param millis  each backend's fastest batch, in milliseconds (the backends that ran)
     * @param dropped backends that could not run the batch, with the device's reason
     * @param tokens  tokens of the measured batch
     */
    record Measurement(AttentionBackend best, Map<AttentionBackend, Double> millis, Map<AttentionBackend, String> dropped, long tokens) {

        /** {@code "cudnn 41.2 ms vs flash 48.9 ms per batch of 65,536 tokens"}. */
        String describe() {
            String times = millis.entrySet().stream()
                    .sorted(Map.Entry.comparingByValue())
                    .map(e -> e.getKey().cliName() + " " + String.format(Locale.ROOT, "%.1f", e.getValue()) + " ms")
                    .collect(Collectors.joining(" vs "));
            String fallbacks = dropped.entrySet().stream().map(e -> e.getKey().cliName() + " did not run: " + e.getValue())
                    .collect(Collectors.joining("; "));
            if (times.isEmpty()) {
                return fallbacks + " (a batch of " + Units.exact(tokens) + " tokens)";
            }
            return times + " per batch of " + Units.exact(tokens) + " tokens" + (fallbacks.isEmpty() ? "" : "; " + fallbacks);
        }
    }

    private AttentionChooser() {
    }

    /**
     * Sets the attention backend of {@code device} (nothing on a device without a choice) for batches of {@code budget}
     * tokens of {@code length}-token sequences: the one asked for, the cached one, or the faster measured now; records
     * it in {@code stats}.
     */
    static void choose(EncoderDevice device, DeviceScheduler.Options options, DeviceStats stats, int length, long budget,
                       int maxSequences, OutputSpec spec) {
        AttentionSwitch attention = device.attention();
        if (attention == null) {
            return;
        }
        AttentionBackend asked = options.attention();
        if (asked != AttentionBackend.AUTO) {
            if (attention.offered().contains(asked)) {
                attention.set(asked);
                record(stats, asked, "asked", null);
                LOG.info("{}: attention {} ({}={})", device.id(), asked.cliName(), AttentionBackend.ENVIRONMENT, asked.cliName());
                return;
            }
            LOG.warn("{}: attention {} was asked ({}) but this device offers {}; choosing by measurement", device.id(),
                    asked.cliName(), AttentionBackend.ENVIRONMENT, names(attention.offered()));
        }
        List<AttentionBackend> candidates = candidates(attention);
        if (candidates.size() <= 1) {
            AttentionBackend only = candidates.isEmpty() ? attention.current() : candidates.getFirst();
            attention.set(only);
            record(stats, only, "only one", null);
            LOG.debug("{}: attention {} (the only backend offered besides the reference kernel)", device.id(), only.cliName());
            return;
        }
        String key = cacheKey(device, options, length, budget, spec);
        SizingCache cache = options.cache();
        Optional<SizingCache.Entry> entry = cache == null || key == null ? Optional.empty() : cache.get(key);
        Optional<AttentionBackend> cached = entry.map(SizingCache.Entry::attention)
                .flatMap(name -> candidates.stream().filter(b -> b.cliName().equals(name)).findFirst());
        if (cached.isPresent()) {
            attention.set(cached.get());
            record(stats, cached.get(), "cached", null);
            LOG.info("{}: attention {}, measured fastest at this budget before (from {})", device.id(), cached.get().cliName(), cache.file());
            return;
        }
        Measurement m;
        try {
            m = measure(device, length, budget, maxSequences, spec);
        } catch (DeviceOutOfMemoryException e) {
            device.releaseWorkspace();
            attention.set(AttentionBackend.FLASH);
            record(stats, AttentionBackend.FLASH, "default: the measurement ran out of memory", null);
            LOG.warn("{}: attention flash: timing the backends ran out of memory ({})", device.id(), e.getMessage());
            return;
        }
        record(stats, m.best(), "measured", m.describe());
        LOG.info("{}: attention {}: {}", device.id(), m.best().cliName(), m.describe());
        if (cache != null && key != null && m.millis().size() > 1) {
            cache.put(key, entry.orElseGet(() -> new SizingCache.Entry(budget, 0, length, 0, 0)).withAttention(m.best().cliName()));
        }
    }

    /**
     * The cache entry the choice belongs to: the budget's own (searched or cached), or one for a fixed budget; null for a
     * device whose budget is not searched (no sizing key).
     */
    static String cacheKey(EncoderDevice device, DeviceScheduler.Options options, int length, long budget, OutputSpec spec) {
        if (device.sizingKey() == null) {
            return null;
        }
        String key = SizingCache.key(device.sizingKey(), options.checkpoint(), length, DeviceScheduler.outputsKey(spec));
        return options.fixedTokenBudget() > 0 ? key + " | fixed budget " + budget + " tokens" : key;
    }

    private static void record(DeviceStats stats, AttentionBackend backend, String source, String measurement) {
        stats.attentionMeasurement = measurement;
        stats.attentionSource = source;
        stats.attention = backend.cliName();
    }

    private static List<String> names(List<AttentionBackend> backends) {
        return backends.stream().map(AttentionBackend::cliName).toList();
    }

    /** The backends worth timing on a device: every one offered but the reference kernel. */
    static List<AttentionBackend> candidates(AttentionSwitch attention) {
        return attention.offered().stream().filter(b -> b != AttentionBackend.REFERENCE && b != AttentionBackend.AUTO).toList();
    }

    /**
     * Times the batch of {@code budget} tokens of {@code length}-token sequences (at most {@code maxSequences}) with each
     * candidate, leaves the faster set on the device and returns what was measured.
     *
     * @throws org.esm2j.device.DeviceOutOfMemoryException when the batch does not fit (the caller keeps the default)
     */
    static Measurement measure(EncoderDevice device, int length, long budget, int maxSequences, OutputSpec spec) {
        AttentionSwitch attention = device.attention();
        List<AttentionBackend> running = new ArrayList<>(candidates(attention));
        int n = (int) Math.max(1, Math.min(maxSequences, Math.min(Integer.MAX_VALUE, budget / length)));
        List<TokenizedSequence> batch = BatchSizer.probeBatch(length, n);
        Map<AttentionBackend, String> dropped = new EnumMap<>(AttentionBackend.class);
        for (AttentionBackend b : List.copyOf(running)) {
            attention.set(b);
            device.submit(batch, spec).await();
            AttentionSwitch.Use used = attention.used();
            if (used != null && used.backend() != b) {
                running.remove(b);
                dropped.put(b, used.note().isEmpty() ? "the device used " + used.backend().cliName() : used.note());
            }
        }
        Map<AttentionBackend, Double> millis = new EnumMap<>(AttentionBackend.class);
        if (running.size() > 1) {
            for (int run = 0; run < TIMED_RUNS; run++) {
                for (AttentionBackend b : running) {
                    attention.set(b);
                    long t0 = System.nanoTime();
                    device.submit(batch, spec).await();
                    double ms = (System.nanoTime() - t0) / 1e6;
                    millis.merge(b, ms, Math::min);
                }
            }
        }
        AttentionBackend best = running.isEmpty() ? AttentionBackend.FLASH
                : millis.isEmpty() ? running.getFirst()
                : millis.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        attention.set(best);
        return new Measurement(best, millis, dropped, (long) n * length);
    }
}
