package org.esm2j;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class UnitsTest {

    @Test
    void countsAreExactUpToAHundredThousandThenThreeDigits() {
        assertThat(Units.count(0)).isEqualTo("0");
        assertThat(Units.count(1204)).isEqualTo("1,204");
        assertThat(Units.count(99_999)).isEqualTo("99,999");
        assertThat(Units.count(312_480)).isEqualTo("312K");
        assertThat(Units.count(1_234_567)).isEqualTo("1.23M");
        assertThat(Units.count(12_345_678_901L)).isEqualTo("12.3B");
        assertThat(Units.count(-1)).isEqualTo("?");
    }

    @Test
    void compactNeverWidensPastFiveCharacters() {
        assertThat(Units.compact(999)).isEqualTo("999");
        assertThat(Units.compact(1000)).isEqualTo("1.00K");
        assertThat(Units.compact(99_949)).isEqualTo("99.9K");
        assertThat(Units.compact(99_950)).isEqualTo("100K");
        assertThat(Units.compact(999_499)).isEqualTo("999K");
        assertThat(Units.compact(999_950)).isEqualTo("1.00M");
        for (long n = 1; n < 999_000_000_000_000L; n = n * 10 + 7) {
            assertThat(Units.compact(n).length()).as("compact(%d)", n).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void ratesRoundToWholeUnitsBelowAThousand() {
        assertThat(Units.rate(0)).isEqualTo("0");
        assertThat(Units.rate(823.4)).isEqualTo("823");
        assertThat(Units.rate(8_234)).isEqualTo("8.23K");
        assertThat(Units.rate(98_200)).isEqualTo("98.2K");
        assertThat(Units.rate(Double.NaN)).isEqualTo("?");
        assertThat(Units.rate(-3)).isEqualTo("?");
    }

    @Test
    void bytesUseBinaryUnits() {
        assertThat(Units.bytes(512)).isEqualTo("512B");
        assertThat(Units.bytes(812L << 20)).isEqualTo("812M");
        assertThat(Units.bytes(80L << 30)).isEqualTo("80.0G");
        assertThat(Units.bytes(1_536L << 20)).isEqualTo("1.50G");
        assertThat(Units.bytes(-1)).isEqualTo("?");
        assertThat(Units.bytesOf(41_200L << 20, 80L << 30)).isEqualTo("40.2/80.0G");
        assertThat(Units.bytesOf(300L << 20, 16L << 30)).isEqualTo("300M/16.0G");
        assertThat(Units.bytesOf(-1, 16L << 30)).isEqualTo("?/16.0G");
    }

    @Test
    void durationsPickTheTwoLargestUnits() {
        assertThat(Units.duration(0)).isEqualTo("0s");
        assertThat(Units.duration(TimeUnit.SECONDS.toNanos(42))).isEqualTo("42s");
        assertThat(Units.duration(TimeUnit.SECONDS.toNanos(185))).isEqualTo("3m05s");
        assertThat(Units.duration(TimeUnit.MINUTES.toNanos(62))).isEqualTo("1h02m");
        assertThat(Units.duration(TimeUnit.HOURS.toNanos(51))).isEqualTo("2d03h");
        assertThat(Units.duration(-5)).isEqualTo("?");
        assertThat(Units.seconds(4_240_000_000L)).isEqualTo("4.2s");
        assertThat(Units.seconds(TimeUnit.SECONDS.toNanos(185))).isEqualTo("3m05s");
    }

    @Test
    void percentNeverRoundsUpToDone() {
        assertThat(Units.percent(0.997)).isEqualTo("99%");
        assertThat(Units.percent(1)).isEqualTo("100%");
        assertThat(Units.percent(1.4)).isEqualTo("100%");
        assertThat(Units.percent(Double.NaN)).isEqualTo("?");
    }
}
