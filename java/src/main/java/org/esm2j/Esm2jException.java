package org.esm2j;

import java.util.function.Function;

/**
 * An error a user can act on: it names the file, record, tensor or option at fault and what to do.
 * The command line prints its message without a stack trace (unless -v) and exits with {@link #exitCode()}.
 * A parameter the message mentions is written {@code {name}} ({@link Parameter}): {@link #getMessage()} reads the
 * library's name ("model"), the command line {@linkplain #render renders} the flag ("--model").
 */
public class Esm2jException extends RuntimeException {
    private final ExitCode exitCode;

    private final String template;

    public Esm2jException(ExitCode exitCode, String message) {
        super(message == null ? null : Parameter.render(message, Parameter::libraryName));
        this.exitCode = exitCode;
        this.template = message;
    }

    public Esm2jException(ExitCode exitCode, String message, Throwable cause) {
        super(message == null ? null : Parameter.render(message, Parameter::libraryName), cause);
        this.exitCode = exitCode;
        this.template = message;
    }

    /** The message with every parameter it mentions written by {@code name} (for example as its command-line flag). */
    public String render(Function<Parameter, String> name) {
        return template == null ? getMessage() : Parameter.render(template, name);
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
