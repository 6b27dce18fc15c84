package org.esm2j.schedule;

import java.util.ArrayList;
import java.util.List;

/** The first few ids of an event (unknown letters, invalid characters): enough to find the records, bounded for millions. */
final class FirstIds {
    static final int KEPT = 5;
    private final List<String> ids = new ArrayList<>();

    synchronized void add(String id) {
        if (ids.size() < KEPT) {
            ids.add(id);
        }
    }

    synchronized List<String> list() {
        return List.copyOf(ids);
    }
}
