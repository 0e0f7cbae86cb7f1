package io.servesim.experiments.cli;

import java.lang.management.ManagementFactory;

/** The main class of the stand-in jar {@link LauncherTest} gives the launcher: prints how it was started. */
public final class LauncherProbe {
    private LauncherProbe() {
    }

    public static void main(String[] args) {
        System.out.println("args " + String.join(" ", args));
        System.out.println("jvm " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.println("java.home " + System.getProperty("java.home"));
    }
}
