package org.esm2j.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import org.esm2j.Esm2jException;
import org.esm2j.progress.ConsoleFilter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * -v / -q / --log-file, shared by every command. Logs go to stderr; data never does.
 *
 * <p>stderr gets INFO (the default), WARN and above with -q, DEBUG with -v (plus thread and logger names, and
 * stack traces), TRACE with -vv. The log file gets DEBUG (TRACE with -vv) whatever stderr shows, with dates,
 * threads, logger names and stack traces, in UTF-8 plain text, appended to.
 */
public final class LoggingMixin {
    static final String CONSOLE_APPENDER = "STDERR";
    static final String FILE_APPENDER = "FILE";
    static final String CONSOLE_PATTERN = "%d{HH:mm:ss} %-5level %msg%n%nopex";
    static final String VERBOSE_CONSOLE_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24}: %msg%n";
    static final String FILE_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36}: %msg%n";

    private boolean[] verbosity = new boolean[0];

    @Option(names = {"-v", "--verbose"}, description = "More detail: -v debug (and stack traces), -vv trace.")
    void setVerbose(boolean[] v) {
        verbosity = v;
    }

    @Option(names = {"-q", "--quiet"}, description = "Only warnings and errors: no progress, no summary.")
    boolean quiet;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Also write the full log (debug level, with progress lines) to FILE, appending.")
    Path logFile;

    public int verbosity() {
        return verbosity.length;
    }

    public boolean quiet() {
        return quiet;
    }

    public Path logFile() {
        return logFile;
    }

    /** The level stderr shows. */
    Level consoleLevel() {
        return quiet ? Level.WARN : verbosity.length >= 2 ? Level.TRACE : verbosity.length == 1 ? Level.DEBUG : Level.INFO;
    }

    /** The level the log file records. */
    Level fileLevel() {
        return verbosity.length >= 2 ? Level.TRACE : Level.DEBUG;
    }

    /** Applies the options to Logback; call first thing in a command. Calling it again (tests) replaces the earlier setup. */
    public void apply() {
        if (quiet && verbosity.length > 0) {
            throw new UsageException("-q and -v contradict each other: give one of them");
        }
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        Level console = consoleLevel();

        Appender<ILoggingEvent> stderr = root.getAppender(CONSOLE_APPENDER);
        if (stderr != null) {
            stderr.clearAllFilters();
            ConsoleFilter filter = new ConsoleFilter(console);
            filter.start();
            stderr.addFilter(filter);
            if (stderr instanceof OutputStreamAppender<ILoggingEvent> stream) {
                stream.setEncoder(encoder(ctx, verbosity.length > 0 ? VERBOSE_CONSOLE_PATTERN : CONSOLE_PATTERN, System.err.charset()));
            }
        }

        Appender<ILoggingEvent> previous = root.getAppender(FILE_APPENDER);
        if (previous != null) {
            root.detachAppender(previous);
            previous.stop();
        }
        Level rootLevel = console;
        if (logFile != null) {
            checkWritable(logFile);
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setContext(ctx);
            file.setName(FILE_APPENDER);
            file.setFile(logFile.toString());
            file.setAppend(true);
            file.setEncoder(encoder(ctx, FILE_PATTERN, StandardCharsets.UTF_8));
            file.start();
            root.addAppender(file);
            if (fileLevel().toInt() < rootLevel.toInt()) {
                rootLevel = fileLevel();
            }
        }
        // The root level lets through what the most talkative destination wants; the console filters for itself.
        root.setLevel(rootLevel);
        // Progress lines are INFO; with -q they still reach an explicit --progress log and the log file.
        ctx.getLogger("org.esm2j.progress").setLevel(rootLevel.toInt() > Level.INFO.toInt() ? Level.INFO : null);
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx, String pattern, Charset charset) {
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(pattern);
        enc.setCharset(charset);
        enc.start();
        return enc;
    }

    /** Logback's file appender fails silently; the user asked for a log and must hear when there can be none. */
    private static void checkWritable(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw Esm2jException.badOutput("--log-file " + file + ": directory " + parent + " does not exist; create it or choose another path");
            }
            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            throw Esm2jException.badOutput("--log-file " + file + ": cannot write (" + e.getMessage() + "); choose a writable path", e);
        }
    }
}
