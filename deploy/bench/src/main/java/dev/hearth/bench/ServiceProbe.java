package dev.hearth.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Looks into a running service process: heap used (Prometheus), RSS, a forced GC and JFR through jcmd. */
final class ServiceProbe {

    private static final Pattern HEAP_LINE = Pattern.compile(
            "^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*}\\s+([0-9.eE+-]+)\\s*$", Pattern.MULTILINE);
    private static final Path JCMD = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final long pid;
    private final String baseUrl;

    ServiceProbe(long pid, String baseUrl) {
        this.pid = pid;
        this.baseUrl = baseUrl;
    }

    long pid() {
        return pid;
    }

    /** Sum of {@code jvm_memory_used_bytes{area="heap"}} on the service's {@code /q/metrics}. */
    long heapUsedBytes() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("/q/metrics answered " + response.statusCode());
        }
        Matcher m = HEAP_LINE.matcher(response.body());
        double sum = 0;
        int pools = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            pools++;
        }
        if (pools == 0) {
            throw new IOException("no jvm_memory_used_bytes{area=\"heap\"} on /q/metrics");
        }
        return (long) sum;
    }

    /** Full GC now ({@code jcmd <pid> GC.run}), twice, then the heap in use: the live set. */
    long heapAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        Thread.sleep(300);
        jcmd("GC.run");
        Thread.sleep(300);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // the scrape allocates a little itself: take the smallest of three
            best = Math.min(best, heapUsedBytes());
        }
        return best;
    }

    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    /** Open file descriptors of the process (Linux), -1 if unknown. */
    long openFiles() {
        String[] fds = Path.of("/proc", String.valueOf(pid), "fd").toFile().list();
        return fds == null ? -1 : fds.length;
    }

    String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(JCMD.toString());
        cmd.add(String.valueOf(pid));
        cmd.addAll(List.of(command));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
