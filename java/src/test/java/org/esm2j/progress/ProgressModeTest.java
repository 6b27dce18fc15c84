package org.esm2j.progress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProgressModeTest {
    private static final StderrTerminal XTERM = StderrTerminal.of(true, "xterm-256color", 120);
    private static final StderrTerminal PIPE = StderrTerminal.of(false, "xterm-256color", -1);
    private static final StderrTerminal DUMB = StderrTerminal.of(true, "dumb", 80);
    private static final StderrTerminal NO_TERM = StderrTerminal.of(true, null, 80);
    private static final StderrTerminal NO_WIDTH = StderrTerminal.of(true, "xterm", -1);

    @Test
    void autoIsLiveOnlyOnATerminalWithCursorControl() {
        assertThat(ProgressMode.resolve(null, false, XTERM)).isEqualTo(ProgressMode.LIVE);
        assertThat(ProgressMode.resolve(ProgressMode.AUTO, false, XTERM)).isEqualTo(ProgressMode.LIVE);
        assertThat(ProgressMode.resolve(null, false, PIPE)).isEqualTo(ProgressMode.LOG);
        assertThat(ProgressMode.resolve(null, false, DUMB)).isEqualTo(ProgressMode.LOG);
        assertThat(ProgressMode.resolve(null, false, NO_TERM)).isEqualTo(ProgressMode.LOG);
        assertThat(ProgressMode.resolve(null, false, NO_WIDTH)).isEqualTo(ProgressMode.LOG);
    }

    @Test
    void quietMeansNoProgressUnlessAskedFor() {
        assertThat(ProgressMode.resolve(null, true, XTERM)).isEqualTo(ProgressMode.NONE);
        assertThat(ProgressMode.resolve(null, true, PIPE)).isEqualTo(ProgressMode.NONE);
        assertThat(ProgressMode.resolve(ProgressMode.LOG, true, PIPE)).isEqualTo(ProgressMode.LOG);
        assertThat(ProgressMode.resolve(ProgressMode.LIVE, true, XTERM)).isEqualTo(ProgressMode.LIVE);
    }

    @Test
    void explicitModesAreKept() {
        assertThat(ProgressMode.resolve(ProgressMode.LOG, false, XTERM)).isEqualTo(ProgressMode.LOG);
        assertThat(ProgressMode.resolve(ProgressMode.NONE, false, XTERM)).isEqualTo(ProgressMode.NONE);
        assertThat(ProgressMode.resolve(ProgressMode.NONE, false, PIPE)).isEqualTo(ProgressMode.NONE);
    }

    @Test
    void liveWithoutATerminalSaysWhyAndWhatToUse() {
        assertThatThrownBy(() -> ProgressMode.resolve(ProgressMode.LIVE, false, PIPE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("progress live")
                .hasMessageContaining("not a terminal")
                .hasMessageContaining("progress log");
        assertThatThrownBy(() -> ProgressMode.resolve(ProgressMode.LIVE, false, DUMB))
                .hasMessageContaining("TERM=dumb");
    }

    @Test
    void theTestJvmsStderrIsNotATerminal() {
        // Surefire pipes the forked JVM's stderr: the probe must see that, or CI logs would fill with escapes.
        StderrTerminal probed = StderrTerminal.probe();
        assertThat(probed.interactive()).isFalse();
        assertThat(ProgressMode.resolve(null, false, probed)).isEqualTo(ProgressMode.LOG);
    }
}
