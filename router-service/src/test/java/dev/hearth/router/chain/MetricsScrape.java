package dev.hearth.router.chain;

import static io.restassured.RestAssured.given;

import java.util.Map;

/** Reads one sample from the application's Prometheus endpoint. */
final class MetricsScrape {

    private MetricsScrape() {
    }

    /** The value of the sample {@code name} whose labels include {@code labels}; fails when there is none. */
    static double value(String name, Map<String, String> labels) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : body.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean matches = labels.entrySet().stream()
                    .allMatch(label -> line.contains(label.getKey() + "=\"" + label.getValue() + "\""));
            if (matches) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no sample " + name + " with " + labels + " in /q/metrics");
    }
}
