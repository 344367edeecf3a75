package dev.hearth.zigbee.service;

import io.vertx.core.json.JsonObject;

/** How a command ended: confirmed by the device, sent without a way to check, or not confirmed in time. */
public record CommandReport(Outcome outcome, String device, JsonObject state, String message) {

    public enum Outcome {
        CONFIRMED("confirmed"), OPTIMISTIC_ONLY("optimistic_only"), TIMEOUT("timeout");

        private final String id;

        Outcome(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }
}
