package dev.hearth.config.service;

/** The provider the default profile starts with, and why it was chosen (said at startup). */
public record ProviderChoice(String name, String dialect, String baseUrl, String apiKeyEnv, String model, String reason) {

    public static final String DEMO = "demo";

    public static ProviderChoice demo(String reason) {
        return new ProviderChoice(DEMO, DEMO, "", "", "demo-1", reason);
    }

    public boolean isDemo() {
        return DEMO.equals(name);
    }
}
