package io.convo.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** RSS and CPU time of a process from /proc (Linux), for the load tool's figures; null where /proc is not readable. */
record ProcessSample(long rssKb, long cpuTicks, long atNanos) {
    /** USER_HZ: clock ticks per second of /proc/<pid>/stat times; 100 on Linux. */
    static final double TICKS = 100.0;

    static ProcessSample of(Long pid) {
        return pid == null ? null : read(Path.of("/proc", pid.toString()));
    }

    static ProcessSample self() {
        ProcessSample s = read(Path.of("/proc/self"));
        return s == null ? new ProcessSample(0, 0, System.nanoTime()) : s;
    }

    private static ProcessSample read(Path proc) {
        try {
            long rss = 0;
            for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
            return new ProcessSample(rss, ticks, System.nanoTime());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

