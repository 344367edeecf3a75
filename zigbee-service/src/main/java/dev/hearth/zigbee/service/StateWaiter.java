package dev.hearth.zigbee.service;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Waits for a state report of one device that satisfies a condition; the condition may be narrowed
 * while waiting (to what a read-back can show). Only reports that arrive after it was registered count.
 */
public final class StateWaiter implements AutoCloseable {

    private final String ieeeAddress;
    private final CompletableFuture<JsonObject> matched = new CompletableFuture<>();
    private final Runnable onClose;
    private volatile Predicate<JsonObject> condition;

    StateWaiter(String ieeeAddress, Predicate<JsonObject> condition, Runnable onClose) {
        this.ieeeAddress = ieeeAddress;
        this.condition = condition;
        this.onClose = onClose;
    }

    void offer(String ieee, JsonObject state) {
        if (ieeeAddress.equals(ieee) && !matched.isDone() && condition.test(state)) {
            matched.complete(state);
        }
    }

    public void narrow(Predicate<JsonObject> newCondition) {
        this.condition = newCondition;
    }

    /** Completes with the state that satisfied the condition. */
    public CompletableFuture<JsonObject> matched() {
        return matched;
    }

    @Override
    public void close() {
        onClose.run();
    }
}
