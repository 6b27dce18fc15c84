package org.esm2j.pipeline;

import org.esm2j.TestData;
import org.esm2j.device.EncoderDevice;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.input.DuplicateIds;
import org.esm2j.model.EsmModel;
import org.esm2j.model.SafetensorsFile;
import org.esm2j.model.TensorInfo;
import org.esm2j.output.OutputDtype;
import org.esm2j.output.OutputFormat;
import org.esm2j.schedule.BatchSizer;
import org.esm2j.schedule.DeviceScheduler;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import org.esm2j.schedule.SchedulerFixtures;
import org.esm2j.schedule.SimulatedDevice;
import org.esm2j.schedule.StartupTimeline;
import org.esm2j.tokens.TokenizedSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole pipeline (FASTA → windows → scheduler → writer) on 4 faulty simulated devices writes the same file as one CPU. */
class MultiDeviceEmbedRunTest {
    private static final long MIB = 1L << 20;

    @Test
    void fourFaultyDevicesWriteTheSameSafetensorsAsOneCpu(@TempDir Path dir) throws Exception {
        List<TokenizedSequence> sequences = SchedulerFixtures.randomSequences(400, 300, 21, 0);
        StringBuilder fasta = new StringBuilder();
        for (TokenizedSequence s : sequences) {
            fasta.append('>').append(s.id()).append(" random\n");
            for (int i = 1; i < s.length() - 1; i++) {
                fasta.append(s.tokens()[i] == 32 ? "<mask>" : org.esm2j.tokens.Alphabet.TOKENS.get(s.tokens()[i]));
            }
            fasta.append('\n');
        }
        Path input = dir.resolve("in.fasta");
        Files.writeString(input, fasta);

        try (EsmModel tiny = EsmModel.load(TestData.tiny().toString())) {
            OutputSpec spec = SchedulerFixtures.everything(tiny.config().numLayers());
            Path single = dir.resolve("one.safetensors");
            RunStats oneStats = run(tiny, spec, input, single, List.of(new CpuDevice(tiny.weights(), 1)));
            Path multi = dir.resolve("four.safetensors");
            RunStats fourStats = run(tiny, spec, input, multi, List.of(
                    new SimulatedDevice(SimulatedDevice.Spec.of("sim:0", 64 * MIB).withFaults(Set.of(), 0.1, -1, 1).withTiming(0, true),
                            tiny.weights()),
                    new SimulatedDevice(SimulatedDevice.Spec.of("sim:1", 64 * MIB).withFaults(Set.of(2), 0.1, 6, 2), tiny.weights()),
                    new SimulatedDevice(SimulatedDevice.Spec.of("sim:2", 2 * MIB).withFaults(Set.of(), 0.05, -1, 3), tiny.weights()),
                    new SimulatedDevice(SimulatedDevice.Spec.of("sim:3", 64 * MIB).withTiming(1000, true), tiny.weights())));

            assertThat(oneStats.sequencesWritten()).isEqualTo(400);
            assertThat(fourStats.sequencesWritten()).isEqualTo(400);
            assertThat(fourStats.devices().get("sim:1").failure()).isNotNull();
            assertThat(fourStats.devices().values().stream().mapToLong(d -> d.oomRetries()).sum()).isPositive();
            // The start-up timeline of the simulated run: each device sized, then the first batch, its result, its write.
            var timeline = fourStats.timeline();
            long sized = timeline.phases().stream().filter(p -> p.name().endsWith(" sizing")).mapToLong(p -> p.endNanos()).max().orElseThrow();
            assertThat(timeline.phases().stream().filter(p -> p.name().endsWith(" sizing")).count()).isEqualTo(4);
            long submitted = timeline.phase(StartupTimeline.FIRST_BATCH_SUBMITTED).orElseThrow().startNanos();
            long done = timeline.phase(StartupTimeline.FIRST_BATCH_DONE).orElseThrow().startNanos();
            long written = timeline.phase(StartupTimeline.FIRST_RESULT_WRITTEN).orElseThrow().startNanos();
            assertThat(sized).isLessThanOrEqualTo(submitted);
            assertThat(submitted).isLessThanOrEqualTo(done);
            assertThat(done).isLessThanOrEqualTo(written);
            try (SafetensorsFile a = SafetensorsFile.open(single); SafetensorsFile b = SafetensorsFile.open(multi)) {
                Map<String, TensorInfo> ta = a.tensors();
                Map<String, TensorInfo> tb = b.tensors();
                assertThat(tb.keySet()).isEqualTo(ta.keySet());
                assertThat(ta).hasSizeGreaterThan(400 * 5);
                for (var e : ta.entrySet()) {
                    TensorInfo x = e.getValue();
                    TensorInfo y = tb.get(e.getKey());
                    assertThat(y.shape()).as(e.getKey()).isEqualTo(x.shape());
                    assertThat(y.data().mismatch(x.data())).as(e.getKey() + " first differing byte").isEqualTo(-1L);
                }
                assertThat(b.metadata().get("summary")).contains("sim:1: simulated device failure after 6 batches", "oom_retries");
            }
        }
    }

    private static RunStats run(EsmModel model, OutputSpec spec, Path input, Path output, List<? extends EncoderDevice> devices) {
        RunStats stats = new RunStats();
        try (DeviceScheduler scheduler = new DeviceScheduler(devices,
                new DeviceScheduler.Options(1500, 4096, null, "tiny", new BatchSizer(), Duration.ofMillis(50), 0.02), stats, RunListener.NONE)) {
            var writer = OutputFormat.SAFETENSORS.open(output, spec, model.config().hiddenSize(), OutputDtype.FLOAT32, Map.of());
            // A small window: several windows go through the scheduler, as with a large input.
            EmbedOptions options = new EmbedOptions(input.toString(), spec, 0, 4096, DuplicateIds.ERROR, 256 * 1024);
            new EmbedRun(options, model.config().hiddenSize(), scheduler, writer, stats, RunListener.NONE).run();
        }
        return stats;
    }
}
