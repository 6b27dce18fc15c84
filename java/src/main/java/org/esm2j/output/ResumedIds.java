package org.esm2j.output;

import org.esm2j.Esm2jException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The ids of the resumed parts, read in order to check that the input still gives the same sequences. */
final class ResumedIds {
    private final List<ResumeState.Part> parts;
    private int part = -1;
    private BufferedReader reader;

    ResumedIds(List<ResumeState.Part> parts) {
        this.parts = parts;
    }

    String next() {
        try {
            while (true) {
                if (reader != null) {
                    String id = reader.readLine();
                    if (id != null) {
                        return id;
                    }
                    reader.close();
                    reader = null;
                }
                part++;
                if (part >= parts.size()) {
                    throw new IllegalStateException("more resumed rows than the finished parts hold");
                }
                reader = Files.newBufferedReader(file(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw Esm2jException.badOutput("cannot read " + file() + ": " + e.getMessage(), e);
        }
    }

    Path file() {
        return parts.get(Math.max(0, part)).dir().resolve(NpyDatasetWriter.IDS);
    }

    void close() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // Read-only.
            }
            reader = null;
        }
    }
}
