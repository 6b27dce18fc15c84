package org.esm2j.input;

import java.nio.charset.StandardCharsets;

/**
 * The set of ids seen so far, in 32 to 64 bytes per id whatever their length: each id is stored as two
 * independent 64-bit hashes (a false "duplicate" needs a 128-bit collision: about 1e-24 for ten million ids)
 * in an open-addressing table kept at most half full. A million ids take at most 64 MB, a third of what
 * the same ids cost as strings in a HashSet.
 */
public final class IdRegistry {
    private long[] table = new long[2 * 1024]; // pairs (h1, h2); (0, 0) marks an empty slot
    private int size;

    /** Adds {@code id}; false when it was already there. */
    public boolean add(String id) {
        byte[] b = id.getBytes(StandardCharsets.UTF_8);
        long h1 = hash(b, 0x9E3779B97F4A7C15L);
        long h2 = hash(b, 0xC2B2AE3D27D4EB4FL);
        if (h1 == 0 && h2 == 0) {
            h2 = 1;
        }
        if ((size + 1) * 2L > table.length / 2) {
            grow();
        }
        return insert(table, h1, h2);
    }

    public int size() {
        return size;
    }

    private boolean insert(long[] t, long h1, long h2) {
        int mask = t.length / 2 - 1;
        int slot = (int) (h1 ^ (h1 >>> 32)) & mask;
        while (true) {
            long a = t[2 * slot];
            long b = t[2 * slot + 1];
            if (a == 0 && b == 0) {
                t[2 * slot] = h1;
                t[2 * slot + 1] = h2;
                if (t == table) {
                    size++;
                }
                return true;
            }
            if (a == h1 && b == h2) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        long[] old = table;
        long[] bigger = new long[old.length * 2];
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0 || old[i + 1] != 0) {
                insert(bigger, old[i], old[i + 1]);
            }
        }
        table = bigger;
    }

    /** A seeded 64-bit hash (murmur-style mixing of 8-byte words). */
    private static long hash(byte[] b, long seed) {
        long h = seed ^ (b.length * 0xff51afd7ed558ccdL);
        int i = 0;
        for (; i + 8 <= b.length; i += 8) {
            long k = 0;
            for (int j = 7; j >= 0; j--) {
                k = (k << 8) | (b[i + j] & 0xff);
            }
            h ^= mix(k);
            h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
        }
        long k = 0;
        for (int j = b.length - 1; j >= i; j--) {
            k = (k << 8) | (b[j] & 0xff);
        }
        h ^= mix(k);
        return mix(h ^ b.length);
    }

    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
