package org.esm2j.cli;

import org.esm2j.hub.HubDownloader;
import org.esm2j.model.ModelLocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code esm2j fetch}: a model from the hub into the local hub cache, where embed --model finds it. */
@Command(name = "fetch",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        description = {
                "Download a model from the hub into the local hub cache (resumable, verified).",
                "",
                "Gets config.json and the safetensors weights into $HF_HUB_CACHE (else",
                "$HF_HOME/hub, else ~/.cache/huggingface/hub) in huggingface_hub's layout, so",
                "that 'esm2j embed --model REPO' and transformers both find them. An interrupted",
                "download resumes; every file is checked against the size and hash the hub",
                "publishes before it is used. Prints the model directory on stdout.",
                "",
                "Environment: HF_ENDPOINT (a mirror), HF_TOKEN (gated or private repositories),",
                "HF_HUB_OFFLINE=1 (no network: only checks the model is already cached).",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  esm2j fetch facebook/esm2_t33_650M_UR50D",
                "  esm2j fetch esm2_t36_3B_UR50D        (fair-esm names mean facebook/...)",
                "  On a cluster: fetch on the login node into a shared cache, then run jobs",
                "  offline:",
                "    export HF_HUB_CACHE=/shared/hf-cache",
                "    esm2j fetch facebook/esm2_t33_650M_UR50D",
                "    sbatch --export=ALL,HF_HUB_OFFLINE=1 job.sbatch"})
public final class FetchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LoggingMixin logging;

    @Parameters(index = "0", paramLabel = "REPO", description = "Hub repository (org/name, optionally @revision) or fair-esm model name.")
    String repo;

    @Option(names = "--revision", paramLabel = "REV", description = "Branch, tag or commit (default: main, or the @revision of REPO).")
    String revision;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "5", description = "Resume a broken transfer up to N times (default ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Drop and resume a transfer that delivers nothing for this many seconds (default ${DEFAULT-VALUE}).")
    int stallTimeoutSeconds;

    @Override
    public Integer call() {
        logging.apply();
        String name = repo.contains("@") ? repo.substring(0, repo.indexOf('@')) : repo;
        String hubName = ModelLocator.hubName(name);
        if (hubName == null) {
            throw new UsageException(repo + " is not a hub repository name like facebook/esm2_t33_650M_UR50D");
        }
        String rev = revision != null ? revision : repo.contains("@") ? repo.substring(repo.indexOf('@') + 1) : "main";
        HubDownloader downloader = new HubDownloader(System.getenv(), "esm2j/" + VersionProvider.version() + "; java/" + Runtime.version(),
                Math.max(0, retries), Duration.ofSeconds(2), Duration.ofSeconds(Math.max(1, stallTimeoutSeconds)));
        Path dir = downloader.fetch(hubName, rev);
        spec.commandLine().getOut().println(dir);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
