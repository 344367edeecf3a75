package dev.hearth.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A client process of the idle-connection phase (one JVM holds fewer than its 20,000 file
 * descriptors): opens N WebSockets, waits for each welcome, prints {@code OPENED n} (or
 * {@code FAILED why}), then holds them idle until its stdin closes.
 * Arguments: port count in-flight; the API key comes in the environment (BENCH_API_KEY), not argv.
 */
public final class IdleClients {

    private IdleClients() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        int inFlight = Integer.parseInt(args[2]);
        String key = System.getenv("BENCH_API_KEY");
        try (GatewayClient client = new GatewayClient(port, key, 1, inFlight)) {
            List<BenchSocket> sockets;
            try {
                sockets = client.open(count, 300);
            } catch (Exception e) {
                System.out.println("FAILED " + e.getMessage().replace('\n', ' '));
                System.out.flush();
                return;
            }
            System.out.println("OPENED " + sockets.size());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // hold until the parent closes our stdin
            }
            long closedMeanwhile = sockets.stream().filter(s -> s.closed).count();
            if (closedMeanwhile > 0) {
                System.out.println("CLOSED_BY_SERVER " + closedMeanwhile);
            }
        }
        System.exit(0);
    }
}
