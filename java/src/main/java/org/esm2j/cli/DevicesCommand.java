package org.esm2j.cli;

import org.esm2j.Units;
import jdk.incubator.vector.FloatVector;
import org.esm2j.device.cuda.CudaDeviceInfo;
import org.esm2j.device.cuda.CudaDevices;
import org.esm2j.device.cuda.NativeLibrary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code esm2j devices}: the GPUs esm2j can use, or why it cannot use any. */
@Command(name = "devices",
        mixinStandardHelpOptions = true,
        description = {
                "List the GPUs esm2j can use: name, compute capability, memory, SMs, BF16",
                "support and the dtype --dtype auto picks. GPUs are numbered after",
                "CUDA_VISIBLE_DEVICES, as --device cuda:N numbers them. When none can be used,",
                "says why (no libesm2j.so, a missing CUDA library, no driver, no GPU).",
                "",
                "--json prints {\"nativeLibrary\": {\"loaded\", \"path\", \"error\"},",
                "\"devices\": [...]} on stdout; \"error\" also holds why no GPU answers when the",
                "library itself loaded. Exit code 0 either way.",
                ""})
public final class DevicesCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Spec
    CommandSpec spec;

    @Mixin
    LoggingMixin logging;

    @Option(names = "--json", description = "Machine-readable output on stdout.")
    boolean json;

    @Override
    public Integer call() {
        logging.apply();
        CudaDevices.Inventory inventory = CudaDevices.discover();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(toJson(inventory)));
        } else {
            printTable(inventory, out);
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> toJson(CudaDevices.Inventory inventory) {
        NativeLibrary.Status lib = inventory.library();
        Map<String, Object> library = new LinkedHashMap<>();
        library.put("loaded", lib.loaded());
        library.put("path", lib.path() == null ? null : lib.path().toString());
        library.put("error", inventory.error());
        List<Map<String, Object>> devices = new ArrayList<>();
        for (CudaDeviceInfo d : inventory.devices()) {
            devices.add(d.toMap());
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("nativeLibrary", library);
        root.put("devices", devices);
        return root;
    }

    private static void printTable(CudaDevices.Inventory inventory, PrintWriter out) {
        NativeLibrary.Status lib = inventory.library();
        if (lib.loaded()) {
            out.println("Native library: " + lib.path() + " (" + lib.version() + ")");
            out.println("CUDA runtime " + inventory.runtimeVersion() + ", driver "
                    + (inventory.driverVersion() == null ? "none" : "supports CUDA " + inventory.driverVersion())
                    + (inventory.visibleDevices() != null ? ", CUDA_VISIBLE_DEVICES=" + inventory.visibleDevices() : ""));
        } else {
            out.println("Native library: not loaded");
        }
        if (!inventory.devices().isEmpty()) {
            String format = "%-8s %-32s %-4s %5s %11s %11s %-5s %-6s %s%n";
            out.println();
            out.printf(Locale.ROOT, format, "DEVICE", "NAME", "CC", "SMs", "MEMORY", "FREE", "BF16", "DTYPE", "PCI");
            for (CudaDeviceInfo d : inventory.devices()) {
                Map<String, Object> m = d.toMap();
                out.printf(Locale.ROOT, format, d.id(), d.name(), d.computeCapability(), d.multiprocessors(), Units.gib(d.totalBytes()),
                        d.freeBytes() >= 0 ? Units.gib(d.freeBytes()) : "?", d.bf16() ? "yes" : "no", m.get("defaultDtype"),
                        d.pciBusId() == null ? "" : d.pciBusId());
            }
        }
        if (inventory.error() != null) {
            String e = inventory.error();
            out.println(Character.toUpperCase(e.charAt(0)) + e.substring(1));
        }
        out.println();
        out.println("CPU: " + Runtime.getRuntime().availableProcessors() + " cores, " + FloatVector.SPECIES_PREFERRED.vectorBitSize()
                + "-bit vectors, fp32" + (inventory.usable() ? "" : " (what --device auto uses here)"));
    }
}
