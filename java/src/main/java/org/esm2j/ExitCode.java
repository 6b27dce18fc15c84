package org.esm2j;

/**
 * Process exit codes, stable so that schedulers and workflow engines can react to them
 * (for example: retry on {@link #DEVICE_FAILURE}, {@link #NETWORK} and {@link #INTERRUPTED}, never retry on
 * {@link #BAD_INPUT}).
 */
public enum ExitCode {
    OK(0, "success"),
    FAILURE(1, "unexpected failure (a bug: please report it with the -v output)"),
    USAGE(2, "invalid command line"),
    BAD_INPUT(3, "bad input: FASTA file missing, unreadable or malformed, duplicate ids; merge: a shard missing, repeated or of another job"),
    BAD_MODEL(4, "bad or missing model: config.json or safetensors unreadable or inconsistent"),
    BAD_OUTPUT(5, "output problem: not writable, disk full, or it holds output of other settings (no resume; --overwrite starts over)"),
    DEVICE_FAILURE(6, "device problem: CUDA requested but unavailable, or every device failed"),
    NETWORK(7, "network problem while downloading a model (transient: run again, the download resumes)"),
    VERIFY_FAILED(8, "verify: the device's error passed the gate (--max-relative-error, --min-cosine)"),
    INTERRUPTED(130, "interrupted (Ctrl-C or SIGTERM); finished work is kept and the same command resumes");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
