package org.esm2j.progress;

import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * What the process's standard error is attached to. The live region draws there, so stderr alone decides:
 * a run reading FASTA from a pipe ({@code zcat x.fa.gz | esm2j embed -i - …}) in a terminal still gets it.
 * JLine's native provider answers isatty and the width without taking over the terminal (no raw mode, no
 * signal handlers, stdin untouched).
 */
public final class StderrTerminal {
    private final boolean interactive;
    private final String type;
    private final IntSupplier width;

    private StderrTerminal(boolean interactive, String type, IntSupplier width) {
        this.interactive = interactive;
        this.type = type;
        this.width = width;
    }

    public static StderrTerminal probe() {
        TerminalProvider provider = load("ffm");
        if (provider == null) {
            provider = load("exec");
        }
        boolean tty = false;
        if (provider != null) {
            try {
                tty = provider.isSystemStream(SystemStream.Error);
            } catch (RuntimeException | LinkageError e) {
                tty = false;
            }
        }
        TerminalProvider p = provider;
        boolean interactive = tty;
        return new StderrTerminal(tty, System.getenv("TERM"), () -> width(p, interactive));
    }

    /** A terminal with fixed answers, for tests. */
    public static StderrTerminal of(boolean interactive, String type, int columns) {
        return new StderrTerminal(interactive, type, () -> columns);
    }

    private static TerminalProvider load(String name) {
        try {
            return TerminalProvider.load(name);
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    public boolean interactive() {
        return interactive;
    }

    public String type() {
        return type;
    }

    /** Columns now (the user may resize at any time); -1 when unknown. */
    public int columns() {
        return width.getAsInt();
    }

    private static int width(TerminalProvider provider, boolean interactive) {
        if (interactive && provider != null) {
            try {
                int w = provider.systemStreamWidth(SystemStream.Error);
                if (w > 0) {
                    return w;
                }
            } catch (RuntimeException e) {
                // fall through to $COLUMNS
            }
        }
        try {
            String env = System.getenv("COLUMNS");
            return env == null ? -1 : Integer.parseInt(env.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Whether the live region can be drawn: a terminal whose type is known and not {@code dumb} (Emacs shells,
     * some CI consoles) and whose width is known. The region needs only cursor-up, erase-below and
     * show/hide-cursor, which every such terminal has.
     */
    public boolean supportsCursorControl() {
        return whyNoCursorControl() == null;
    }

    /** Null when the live region can be drawn, otherwise the reason, for the error of {@code --progress live}. */
    public String whyNoCursorControl() {
        if (!interactive) {
            return "standard error is not a terminal (redirected to a file or pipe)";
        }
        String t = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("dumb") || t.equals("unknown")) {
            return "the terminal type (TERM=" + (type == null ? "" : type) + ") has no cursor control";
        }
        if (columns() <= 0) {
            return "the terminal's width is unknown";
        }
        return null;
    }
}
