package org.esm2j.cli;

import picocli.CommandLine;

/** Version from the jar manifest (or "dev" when run from classes), plus the runtime it runs on. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
                "esm2j " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        };
    }
}
