package org.esm2j.progress;

import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;

/** What {@code --progress} asks for, and what a run ends up showing. */
public enum ProgressMode {
    /** Live on a terminal that can move its cursor, log lines elsewhere, nothing with {@code -q}. */
    AUTO,
    /** The live region at the bottom of the terminal. */
    LIVE,
    /** Plain lines every {@code --progress-interval}. */
    LOG,
    /** Nothing while running (the summary still comes at the end unless {@code -q}). */
    NONE;

    /**
     * The mode a run uses.
     *
     * @param requested     the option's value, null when not given (auto)
     * @param quiet         {@code -q} was given: auto then shows nothing
     * @param terminal      whether stderr is a terminal with cursor control, and why not
     * @throws IllegalArgumentException for {@code live} without such a terminal
     */
    public static ProgressMode resolve(ProgressMode requested, boolean quiet, StderrTerminal terminal) {
        ProgressMode mode = requested == null ? AUTO : requested;
        return switch (mode) {
            case AUTO -> quiet ? NONE : terminal.supportsCursorControl() ? LIVE : LOG;
            case LIVE -> {
                if (!terminal.supportsCursorControl()) {
                    throw new InvalidParameterException(Parameter.PROGRESS, "{progress} live: " + terminal.whyNoCursorControl()
                            + "; use {progress} log (plain lines) or auto");
                }
                yield LIVE;
            }
            case LOG, NONE -> mode;
        };
    }
}
