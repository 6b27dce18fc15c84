package org.esm2j.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** -v / -q / --log-file, shared by every command. Logs go to stderr; data never does. */
public final class LoggingMixin {
    private boolean[] verbosity = new boolean[0];

    @Option(names = {"-v", "--verbose"}, description = "More detail: -v debug (and stack traces), -vv trace.")
    void setVerbose(boolean[] v) {
        verbosity = v;
    }

    @Option(names = {"-q", "--quiet"}, description = "Only warnings and errors.")
    boolean quiet;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Also write the log (always at debug level) to FILE.")
    Path logFile;

    public int verbosity() {
        return verbosity.length;
    }

    public boolean quiet() {
        return quiet;
    }

    /** Applies the options to Logback; call first thing in a command. */
    public void apply() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        Level console = quiet ? Level.WARN : verbosity.length >= 2 ? Level.TRACE : verbosity.length == 1 ? Level.DEBUG : Level.INFO;
        var stderr = root.getAppender("STDERR");
        if (stderr != null) {
            var filter = new ch.qos.logback.classic.filter.ThresholdFilter();
            filter.setLevel(console.levelStr);
            filter.start();
            stderr.clearAllFilters();
            stderr.addFilter(filter);
        }
        // The root level lets through what the most talkative destination wants; each appender filters for itself.
        root.setLevel(logFile != null && console.toInt() > Level.DEBUG.toInt() ? Level.DEBUG : console);
        if (logFile != null) {
            PatternLayoutEncoder enc = new PatternLayoutEncoder();
            enc.setContext(ctx);
            enc.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{20} %msg%n");
            enc.start();
            FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> file = new FileAppender<>();
            file.setContext(ctx);
            file.setName("FILE");
            file.setFile(logFile.toString());
            file.setAppend(true);
            file.setEncoder(enc);
            file.start();
            root.addAppender(file);
        }
    }
}
