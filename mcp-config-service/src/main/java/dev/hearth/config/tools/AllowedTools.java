package dev.hearth.config.tools;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A profile's {@code allowed_tools}: tool names or simple globs where {@code *} stands for any run
 * of characters ({@code zigbee__*}, {@code *}). An empty list allows no tool: a profile gets tools
 * only by naming them.
 */
public final class AllowedTools {

    private final List<Pattern> patterns;

    public AllowedTools(List<String> allowed) {
        this.patterns = allowed.stream().filter(p -> !p.isBlank()).map(AllowedTools::compile).toList();
    }

    public boolean allows(String toolName) {
        return patterns.stream().anyMatch(p -> p.matcher(toolName).matches());
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String literal : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literal));
        }
        return Pattern.compile(regex.toString());
    }
}
