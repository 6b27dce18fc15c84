package org.esm2j.device.cuda;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One GPU as the CUDA runtime sees it (after {@code CUDA_VISIBLE_DEVICES}).
 *
 * @param index           runtime ordinal: {@code cuda:0} is the first visible device
 * @param name            e.g. "NVIDIA H100 80GB HBM3"
 * @param major           compute capability major
 * @param minor           compute capability minor
 * @param multiprocessors SM count
 * @param totalBytes      device memory
 * @param freeBytes       free device memory when listed (-1 when it could not be read)
 * @param pciBusId        e.g. "0000:1B:00.0"
 */
public record CudaDeviceInfo(int index, String name, int major, int minor, int multiprocessors, long totalBytes, long freeBytes,
                             String pciBusId) {

    public String id() {
        return "cuda:" + index;
    }

    public String computeCapability() {
        return major + "." + minor;
    }

    /** BF16 tensor-core arithmetic: Ampere (8.0) and newer. */
    public boolean bf16() {
        return major >= 8;
    }

    /** The JSON object of {@code esm2j devices --json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id());
        m.put("index", index);
        m.put("name", name);
        m.put("computeCapability", computeCapability());
        m.put("multiprocessors", multiprocessors);
        m.put("totalMemoryBytes", totalBytes);
        m.put("freeMemoryBytes", freeBytes >= 0 ? freeBytes : null);
        m.put("bf16", bf16());
        m.put("defaultDtype", ComputeDtype.choose(null, this).cliName());
        m.put("pciBusId", pciBusId);
        return m;
    }
}
