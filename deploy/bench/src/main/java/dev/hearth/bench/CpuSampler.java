package dev.hearth.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of the processes that share the machine during a round (Linux {@code /proc}): each
 * service, this benchmark JVM (fake upstream + clients), Redis and PostgreSQL. Tells where the two
 * cores went, e.g. in microseconds of CPU per delivered token.
 */
final class CpuSampler {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    /** A process by pid, or every process with a given {@code comm} (pid 0). */
    private record Group(long pid, String command) {
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();

    void add(String name, long pid) {
        groups.put(name, new Group(pid, null));
    }

    /** Every process whose {@code comm} is {@code command} (redis-server, postgres), found at each snapshot. */
    void addByCommand(String name, String command) {
        groups.put(name, new Group(0, command));
    }

    /** Busy CPU of the whole machine not in any group: other users of the machine, e.g. a build. */
    static final String OTHER = "OTHER";

    /** CPU seconds used so far, per group, and {@link #OTHER} (the machine's busy time less the groups'). */
    Map<String, Double> snapshot() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        double machine = machineBusySeconds();
        double groupsTotal = 0;
        for (Map.Entry<String, Group> entry : groups.entrySet()) {
            Group group = entry.getValue();
            double seconds = 0;
            for (long pid : group.command == null ? List.of(group.pid) : pidsOf(group.command)) {
                seconds += cpuSeconds(pid);
            }
            cpu.put(entry.getKey(), seconds);
            groupsTotal += seconds;
        }
        if (machine >= 0) {
            cpu.put(OTHER, machine - groupsTotal);
        }
        return cpu;
    }

    /** Busy time of all CPUs since boot (Linux {@code /proc/stat}): everything but idle and iowait; -1 if unknown. */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            return (total - Long.parseLong(f[4]) - Long.parseLong(f[5])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> d = new LinkedHashMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0.0)));
        return d;
    }

    private static List<Long> pidsOf(String command) {
        File[] entries = new File("/proc").listFiles((dir, name) -> name.chars().allMatch(Character::isDigit));
        List<Long> pids = new ArrayList<>();
        if (entries == null) {
            return pids;
        }
        for (File entry : entries) {
            try {
                if (Files.readString(entry.toPath().resolve("comm")).trim().equals(command)) {
                    pids.add(Long.parseLong(entry.getName()));
                }
            } catch (IOException | RuntimeException e) {
                // gone meanwhile
            }
        }
        return pids;
    }

    /** utime + stime of a process (all its threads), in seconds; 0 if it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime field 15
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
