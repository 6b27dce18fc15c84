package org.esm2j.progress;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * What reaches stderr: events at or above the level that -v/-q chose; the periodic progress lines only when
 * they are the chosen display ({@code --progress log}), since the live region shows the same figures and
 * {@code --progress none} asked for none. The log file has no such filter and gets everything.
 */
public final class ConsoleFilter extends Filter<ILoggingEvent> {
    private final Level threshold;

    public ConsoleFilter(Level threshold) {
        this.threshold = threshold;
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        if (ProgressDisplay.isProgressLine(event)) {
            return Console.showsProgressLines() ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
        return event.getLevel().isGreaterOrEqual(threshold) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
