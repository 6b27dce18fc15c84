package org.esm2j.cli;

import org.esm2j.Units;
import org.esm2j.ExitCode;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.model.EsmModel;
import org.esm2j.output.DatasetIdentity;
import org.esm2j.output.OutputFormat;
import org.esm2j.output.ResumeState;
import org.esm2j.pipeline.EmbedOptions;
import org.esm2j.pipeline.EmbedRun;
import org.esm2j.pipeline.RunPlan;
import org.esm2j.pipeline.ShardSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** Cluster jobs: --shard (with SLURM array defaults) and --dry-run. */
public final class HpcOptions {
    private static final Logger LOG = LoggerFactory.getLogger(HpcOptions.class);

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--shard", paramLabel = "K/N",
            description = {"Embed shard K of N (K is 0-based: 0..N-1): kept sequences number K, K+N, K+2N, ... of the input; "
                    + "join the shards with 'esm2j merge'. Inside a SLURM array job the default comes from SLURM_ARRAY_TASK_ID, "
                    + "_MIN, _STEP and _COUNT (logged); 'none' embeds the whole input."})
    String shard;

    @Option(names = "--dry-run",
            description = "Print the plan (sequences, batches, token budget, shard, output size, what a resume would skip) and exit; "
                    + "reads the input and the model's header, computes nothing, loads nothing onto a device.")
    boolean dryRun;

    public boolean dryRun() {
        return dryRun;
    }

    /** The shard to embed: --shard, else the SLURM array task's, else the whole input. */
    public ShardSpec shard(Map<String, String> env) {
        if (shard != null) {
            return shard.strip().toLowerCase(Locale.ROOT).equals("none") ? ShardSpec.ALL : ShardSpec.parse(shard);
        }
        ShardSpec.Derived d = ShardSpec.fromSlurm(env);
        if (d == null) {
            return ShardSpec.ALL;
        }
        LOG.info("--shard not given: embedding shard {} of this SLURM array ({}). Pass --shard none to embed the whole input in every task.",
                d.shard(), d.from());
        return d.shard();
    }

    /** Says so when the output format cannot do what a cluster job needs (resume, merge). */
    void warnIfNotResumable(OutputFormat format, ShardSpec shard) {
        if (format.resumable()) {
            return;
        }
        if (shard.sharded()) {
            LOG.warn("--format safetensors with --shard {}: this output cannot be resumed if the job is interrupted, and esm2j merge reads npy "
                    + "shards only. Use the default --format npy for sharded jobs, then 'esm2j merge --format safetensors'.", shard);
        } else if (System.getenv("SLURM_JOB_ID") != null) {
            LOG.warn("--format safetensors cannot be resumed: if this job is interrupted or requeued it starts over. The default --format npy resumes.");
        }
    }

    /** Prints the plan of the run to standard output; returns the exit code the real run would start with. */
    int printPlan(EmbedOptions options, EsmModel esm, DatasetIdentity identity, OutputOptions out, DeviceOptions devices) {
        PrintWriter o = mixee.commandLine().getOut();
        ResumeState resume = null;
        if (out.format().resumable() && Files.isDirectory(out.output()) && !out.overwrite()) {
            resume = out.format().inspect(out.output(), identity);
        }
        long resumedRows = resume != null && resume.status() == ResumeState.Status.RESUME ? resume.rows() : 0;
        long partRows = resume != null && resume.status() == ResumeState.Status.RESUME ? resume.partRows()
                : out.format().resumable() ? out.partRows() : Long.MAX_VALUE;
        boolean gpu = devices.deviceChoice().toLowerCase(Locale.ROOT).startsWith("cuda");
        long budget = devices.toksPerBatch > 0 ? devices.toksPerBatch : CpuDevice.DEFAULT_TOKEN_BUDGET;
        String budgetNote = devices.toksPerBatch > 0 ? "--toks-per-batch" : gpu ? "chosen by the GPU at start; planned here with the CPU default" : "the CPU default";
        RunPlan p = EmbedRun.plan(options, esm.config().hiddenSize(), budget, resumedRows, partRows, out.dtype().bytes());

        o.println("esm2j embed --dry-run: nothing is computed or written");
        long invalid = p.records() - p.kept() - p.skippedEmpty() - p.skippedDuplicate(); // the only other reason to leave a record out
        o.printf("  input      %s: %s, %s kept (%,d empty, %,d with invalid characters, %,d duplicate ids skipped)%n", options.input(),
                Units.count(p.records(), "record"), Units.count(p.kept(), "sequence"), p.skippedEmpty(), invalid, p.skippedDuplicate());
        o.printf("  shard      %s%n", p.shard().sharded()
                ? String.format("%s (0-based): %,d sequences (kept sequences number %d, %d, %d, ...)", p.shard(), p.kept() - p.otherShards(),
                        p.shard().index(), p.shard().index() + p.shard().count(), p.shard().index() + 2L * p.shard().count())
                : "none: the whole input");
        o.printf("  model      %s: %d layers, %d wide (fingerprint %s)%n", esm.name(), esm.config().numLayers(), esm.config().hiddenSize(), identity.modelFingerprint());
        o.printf("  outputs    %s of layers %s, %s%n", String.join(", ", options.spec().kinds().stream().map(k -> k.cliName()).toList()),
                Arrays.toString(options.spec().layers()), out.dtype().cliName());
        o.printf("  device     %s (%s arithmetic), %,d tokens per batch (%s)%n", devices.deviceChoice(), identity.options().get("dtype"), budget, budgetNote);
        o.printf("  work       %,d sequences to compute: %,d tokens (%,d residues), longest %,d tokens, %s%n", p.toCompute(), p.tokens(),
                p.residues(), p.longest(), switch (p.longSequences()) {
                    case TRUNCATE -> String.format("%,d truncated", p.truncated());
                    case WINDOW -> String.format("%,d cut into %,d windows (--long-sequences window)", p.windowed(), p.proteinWindows());
                    case FULL -> "none truncated (--long-sequences full)";
                });
        o.printf("  batches    %,d in %,d window%s%n", p.batches(), p.windows(), p.windows() == 1 ? "" : "s");
        o.printf("  output     %s (%s%s): about %s%n", out.output(), out.format().cliName(),
                out.format().resumable() ? String.format(", %,d part%s of up to %,d sequences", p.parts(), p.parts() == 1 ? "" : "s", p.partRows()) : ", not resumable",
                Units.byteSize(p.outputBytes()));
        int code = ExitCode.OK.code();
        String resumeLine;
        if (out.overwrite()) {
            resumeLine = "--overwrite: anything already at the output is discarded; starts from the first sequence";
        } else if (!out.format().resumable()) {
            resumeLine = Files.exists(out.output()) ? "refused: the file exists (safetensors cannot resume; pass --overwrite)" : "new output";
            code = Files.exists(out.output()) ? ExitCode.BAD_OUTPUT.code() : code;
        } else if (resume == null || resume.status() == ResumeState.Status.NEW) {
            resumeLine = "new output: starts from the first sequence";
        } else if (resume.status() == ResumeState.Status.COMPLETE) {
            resumeLine = "complete: the finished output of this job is already there; nothing to do";
        } else if (resume.status() == ResumeState.Status.RESUME) {
            resumeLine = String.format("%,d finished part%s (%,d sequences) kept and skipped; %,d sequences remain", resume.parts().size(),
                    resume.parts().size() == 1 ? "" : "s", resume.rows(), p.toCompute());
        } else {
            resumeLine = "refused: the output holds " + String.join("; ", resume.differences()) + " (pass --overwrite to start over)";
            code = ExitCode.BAD_OUTPUT.code();
        }
        o.printf("  resume     %s%n", resumeLine);
        if (resume != null) {
            resume.notes().forEach(n -> o.printf("  note       %s%n", n));
        }
        o.flush();
        return code;
    }
}
