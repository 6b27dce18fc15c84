package org.esm2j;

/**
 * An error a user can act on: it names the file, record, tensor or option at fault and what to do.
 * The command line prints its message without a stack trace (unless -v) and exits with {@link #exitCode()}.
 */
public class Esm2jException extends RuntimeException {
    private final ExitCode exitCode;

    public Esm2jException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public Esm2jException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public static Esm2jException badInput(String message) {
        return new Esm2jException(ExitCode.BAD_INPUT, message);
    }

    public static Esm2jException badModel(String message) {
        return new Esm2jException(ExitCode.BAD_MODEL, message);
    }

    public static Esm2jException badModel(String message, Throwable cause) {
        return new Esm2jException(ExitCode.BAD_MODEL, message, cause);
    }

    public static Esm2jException badOutput(String message) {
        return new Esm2jException(ExitCode.BAD_OUTPUT, message);
    }

    public static Esm2jException badOutput(String message, Throwable cause) {
        return new Esm2jException(ExitCode.BAD_OUTPUT, message, cause);
    }
}
