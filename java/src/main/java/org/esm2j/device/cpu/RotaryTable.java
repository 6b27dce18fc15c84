package org.esm2j.device.cpu;

/**
 * cos/sin of position × inv_freq, computed in double from the checkpoint's inv_freq and stored as float.
 * Grows to the longest sequence seen; shared by all threads (readers see a fully built table).
 */
final class RotaryTable {
    private final float[] invFreq;
    private volatile float[][] table = {new float[0], new float[0]}; // {cos, sin}, each [positions][d/2]

    RotaryTable(float[] invFreq) {
        this.invFreq = invFreq.clone();
    }

    float[] invFreq() {
        return invFreq;
    }

    int half() {
        return invFreq.length;
    }

    /** {cos, sin} covering positions 0..positions-1 at least. */
    float[][] upTo(int positions) {
        float[][] t = table;
        int half = invFreq.length;
        if (t[0].length >= positions * half) {
            return t;
        }
        synchronized (this) {
            t = table;
            if (t[0].length >= positions * half) {
                return t;
            }
            int n = Math.max(positions, 1024);
            float[] cos = new float[n * half];
            float[] sin = new float[n * half];
            for (int p = 0; p < n; p++) {
                for (int i = 0; i < half; i++) {
                    double angle = p * (double) invFreq[i];
                    cos[p * half + i] = (float) Math.cos(angle);
                    sin[p * half + i] = (float) Math.sin(angle);
                }
            }
            table = new float[][] {cos, sin};
            return table;
        }
    }
}
