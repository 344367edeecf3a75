package dev.hearth.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Polls every service's readiness in parallel until all answer 200, one exits, or the time is up.
 * Time to ready is measured from the moment its process was started.
 */
final class ReadinessWaiter {

    private static final long POLL_MILLIS = 200; // each DOWN answer is an INFO line in the service log
    private static final int LOG_TAIL_LINES = 40;

    private final ReadinessProbe probe = new ReadinessProbe();

    /**
     * @param onReady called as each service gets ready
     * @return time to ready per service
     * @throws SuiteStartException naming the first service that exited, or one still not ready at the timeout
     */
    Map<ServiceId, Duration> awaitAll(List<ServiceProcess> processes, Duration timeout,
                                      BiConsumer<ServiceProcess, Duration> onReady) {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(Math.min(4, processes.size()), runnable -> {
            Thread thread = new Thread(runnable, "hearth-readiness");
            thread.setDaemon(true);
            return thread;
        });
        Map<ServiceId, CompletableFuture<Duration>> ready = new EnumMap<>(ServiceId.class);
        List<ScheduledFuture<?>> polls = new ArrayList<>();
        try {
            for (ServiceProcess service : processes) {
                CompletableFuture<Duration> future = new CompletableFuture<>();
                ready.put(service.service(), future);
                service.process().onExit().thenAccept(exited -> future.completeExceptionally(new SuiteStartException(
                        service.service(), "exited with code " + exited.exitValue() + " before it was ready",
                        LogTail.of(service.log(), LOG_TAIL_LINES))));
                polls.add(scheduler.scheduleWithFixedDelay(() -> {
                    if (!future.isDone() && probe.isReady(ServiceEnvironment.LOCALHOST, service.port())) {
                        Duration took = Duration.between(service.startedAt(), Instant.now());
                        if (future.complete(took)) {
                            onReady.accept(service, took);
                        }
                    }
                }, 0, POLL_MILLIS, TimeUnit.MILLISECONDS));
            }
            // allOf alone would wait for the others after one has failed: fail as soon as one does.
            CompletableFuture<Void> firstFailure = new CompletableFuture<>();
            ready.values().forEach(f -> f.whenComplete((took, failure) -> {
                if (failure != null) {
                    firstFailure.completeExceptionally(failure);
                }
            }));
            CompletableFuture<Void> allReady = CompletableFuture.allOf(ready.values().toArray(CompletableFuture[]::new));
            try {
                CompletableFuture.anyOf(allReady, firstFailure).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw asStartFailure(e.getCause());
            } catch (TimeoutException e) {
                ServiceProcess late = processes.stream()
                        .filter(p -> !ready.get(p.service()).isDone())
                        .min(Comparator.comparingInt(p -> p.service().ordinal()))
                        .orElseThrow();
                throw new SuiteStartException(late.service(), "not ready after " + timeout.toSeconds() + " s",
                        LogTail.of(late.log(), LOG_TAIL_LINES));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for readiness", e);
            }
            Map<ServiceId, Duration> times = new EnumMap<>(ServiceId.class);
            ready.forEach((service, future) -> times.put(service, future.join()));
            return times;
        } finally {
            polls.forEach(poll -> poll.cancel(true));
            scheduler.shutdownNow();
        }
    }

    private static RuntimeException asStartFailure(Throwable cause) {
        if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof SuiteStartException
                ? (SuiteStartException) cause
                : new IllegalStateException("readiness check failed", cause);
    }
}
