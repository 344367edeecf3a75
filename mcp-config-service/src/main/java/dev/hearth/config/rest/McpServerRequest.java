package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.McpServer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code POST /admin/v1/mcp-servers} and {@code PUT /admin/v1/mcp-servers/{name}}:
 * {@code {name, transport, url?, headers?, command?, args?, env?, enabled?, disabled_tools?, poll_interval_seconds?}}.
 */
public record McpServerRequest(
        String name,
        String transport,
        String url,
        Map<String, String> headers,
        String command,
        List<String> args,
        Map<String, String> env,
        Boolean enabled,
        @JsonProperty("disabled_tools") List<String> disabledTools,
        @JsonProperty("poll_interval_seconds") Integer pollIntervalSeconds,
        @JsonAnySetter Map<String, Object> unknownFields) {

    /** What the table's CHECK allows: no "__", which separates server and tool in a tool's name. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,30}");
    static final String NAME_RULE = "1 to 31 of a-z 0-9 _ -, starting with a letter or digit, without \"__\" "
            + "(it separates server and tool in the tool names offered, e.g. weather__forecast)";
    /** MCP tool names (the spec's SHOULD: 1 to 128 of these). */
    static final Pattern TOOL = Pattern.compile("[A-Za-z0-9_.\\-/]{1,128}");
    static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");
    static final Pattern ENV_VALUE_REFERENCE = Pattern.compile("\\$\\{[A-Z_][A-Z0-9_]*}");
    static final List<String> TRANSPORTS = List.of(McpServer.HTTP, McpServer.STDIO);
    static final int DEFAULT_POLL_INTERVAL = 60;
    static final int MAX_POLL_INTERVAL = 86_400;
    static final int MAX_ENTRIES = 64;
    static final int MAX_VALUE_LENGTH = 4096;
    /** Arguments may be long: a Java classpath, say. */
    static final int MAX_ARG_LENGTH = 65_536;

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches() && !name.contains(McpServer.SEPARATOR);
    }

    static void checkTool(String field, String tool, FieldProblems problems) {
        if (tool == null || !TOOL.matcher(tool).matches()) {
            problems.add(field + " must be an MCP tool name: 1 to 128 of A-Z a-z 0-9 _ - . /");
        }
    }

    /**
     * The validated server, or a 400 {@code invalid_request} naming every problem at once.
     *
     * @param pathName the name in the path of a PUT (the body may omit it); null for a POST
     */
    McpServer validate(String pathName) {
        FieldProblems problems = new FieldProblems();
        problems.unknown("", unknownFields);
        String checkedName = pathName == null ? name : pathName;
        if (pathName == null && (name == null || name.isEmpty())) {
            problems.add("name is required");
        } else if (pathName == null && !validName(name)) {
            problems.add("name must be " + NAME_RULE);
        } else if (pathName == null && dev.hearth.config.mcp.DeviceToolCatalog.RESERVED_SERVER_NAME.equals(name)) {
            problems.add("name '" + name + "' is reserved: the home's Zigbee devices are offered as "
                    + dev.hearth.config.mcp.DeviceToolCatalog.PREFIX + "<device>");
        } else if (pathName != null && name != null && !name.equals(pathName)) {
            problems.add("name ('" + name + "') differs from the name in the path ('" + pathName
                    + "'): an MCP server cannot be renamed; create one with the new name instead");
        }
        boolean http = McpServer.HTTP.equals(transport);
        boolean stdio = McpServer.STDIO.equals(transport);
        if (transport == null || transport.isEmpty()) {
            problems.add("transport is required: http (Streamable HTTP) or stdio (a local process)");
        } else if (!http && !stdio) {
            problems.add("transport must be http (Streamable HTTP) or stdio (a local process)");
        }
        String checkedUrl = url == null ? "" : url.strip();
        String checkedCommand = command == null ? "" : command.strip();
        if (http) {
            checkUrl(checkedUrl, problems);
            if (!checkedCommand.isEmpty() || (args != null && !args.isEmpty()) || (env != null && !env.isEmpty())) {
                problems.add("command, args and env are for transport stdio; an http server has a url");
            }
        } else if (stdio) {
            if (checkedCommand.isEmpty()) {
                problems.add("command is required for transport stdio (the program to start, e.g. npx)");
            } else {
                problems.text("command", checkedCommand, MAX_VALUE_LENGTH, false);
            }
            if (!checkedUrl.isEmpty() || (headers != null && !headers.isEmpty())) {
                problems.add("url and headers are for transport http; a stdio server has a command");
            }
        }
        Map<String, String> checkedHeaders = headers(problems);
        List<String> checkedArgs = args(problems);
        Map<String, String> checkedEnv = env(problems);
        Set<String> checkedDisabled = disabledTools(problems);
        int poll = pollIntervalSeconds == null ? DEFAULT_POLL_INTERVAL : pollIntervalSeconds;
        if (poll < 1 || poll > MAX_POLL_INTERVAL) {
            problems.add("poll_interval_seconds must be between 1 and " + MAX_POLL_INTERVAL);
        }
        problems.throwIfAny();
        return new McpServer(checkedName, transport, checkedUrl, checkedHeaders, checkedCommand, checkedArgs,
                checkedEnv, enabled == null || enabled, checkedDisabled, poll);
    }

    private static void checkUrl(String url, FieldProblems problems) {
        if (url.isEmpty()) {
            problems.add("url is required for transport http: the server's Streamable HTTP endpoint, "
                    + "e.g. http://weather.lan:8000/mcp");
            return;
        }
        if (url.length() > ProviderRequest.MAX_URL_LENGTH) {
            problems.add("url must be at most " + ProviderRequest.MAX_URL_LENGTH + " characters");
            return;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                problems.add("url must be an absolute http:// or https:// URL with a host, e.g. http://weather.lan:8000/mcp");
            } else if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                // Credentials have no place in the database; nor do query strings, which may carry keys.
                problems.add("url must not have user info, a query or a fragment: secrets go in headers, "
                        + "which name environment variables");
            }
        } catch (URISyntaxException e) {
            problems.add("url is not a URL: " + e.getReason());
        }
    }

    /** Header name to the NAME of the environment variable holding its value; a value that looks like a secret is refused unrepeated. */
    private Map<String, String> headers(FieldProblems problems) {
        Map<String, String> checked = new TreeMap<>();
        if (headers == null) {
            return checked;
        }
        if (headers.size() > MAX_ENTRIES) {
            problems.add("headers may have at most " + MAX_ENTRIES + " entries");
            return checked;
        }
        headers.forEach((header, variable) -> {
            if (!HEADER.matcher(header).matches()) {
                problems.add("headers keys must be HTTP header names (e.g. Authorization)");
            } else if (variable == null || variable.isBlank()) {
                problems.add("headers." + header + " must name the environment variable holding its value");
            } else if (ProviderRequest.looksLikeKey(variable) || variable.contains(" ")) {
                problems.add("headers." + header + " must be the NAME of an environment variable of mcp-config-service "
                        + "(e.g. WEATHER_TOKEN), not the value itself: it was refused and not stored");
            } else if (variable.length() > ProviderRequest.MAX_ENV_NAME_LENGTH
                    || !ProviderRequest.ENV_NAME.matcher(variable).matches()) {
                problems.add("headers." + header + " must be an environment variable name: up to "
                        + ProviderRequest.MAX_ENV_NAME_LENGTH + " of A-Z 0-9 _, not starting with a digit");
            } else {
                checked.put(header, variable);
            }
        });
        return checked;
    }

    private List<String> args(FieldProblems problems) {
        if (args == null) {
            return List.of();
        }
        if (args.size() > MAX_ENTRIES) {
            problems.add("args may list at most " + MAX_ENTRIES + " arguments");
            return List.of();
        }
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) == null) {
                problems.add("args[" + i + "] must be a string");
            } else {
                checked.add(problems.text("args[" + i + "]", args.get(i), MAX_ARG_LENGTH, false));
            }
        }
        return checked;
    }

    /** Literal values, or ${NAME} to pass on a variable of mcp-config-service's environment (secrets go that way). */
    private Map<String, String> env(FieldProblems problems) {
        Map<String, String> checked = new TreeMap<>();
        if (env == null) {
            return checked;
        }
        if (env.size() > MAX_ENTRIES) {
            problems.add("env may have at most " + MAX_ENTRIES + " entries");
            return checked;
        }
        env.forEach((variable, value) -> {
            if (variable.length() > ProviderRequest.MAX_ENV_NAME_LENGTH
                    || !ProviderRequest.ENV_NAME.matcher(variable).matches()) {
                problems.add("env keys must be environment variable names: up to "
                        + ProviderRequest.MAX_ENV_NAME_LENGTH + " of A-Z 0-9 _, not starting with a digit");
            } else if (value == null) {
                problems.add("env." + variable + " must be a string");
            } else if (ProviderRequest.looksLikeKey(ENV_VALUE_REFERENCE.matcher(value).replaceAll(""))) {
                problems.add("env." + variable + " looks like a secret: write ${NAME} to pass on the variable NAME of "
                        + "mcp-config-service's environment instead; it was refused and not stored");
            } else {
                checked.put(variable, problems.text("env." + variable, value, MAX_VALUE_LENGTH, false));
            }
        });
        return checked;
    }

    private Set<String> disabledTools(FieldProblems problems) {
        Set<String> checked = new LinkedHashSet<>();
        if (disabledTools == null) {
            return checked;
        }
        if (disabledTools.size() > 1024) {
            problems.add("disabled_tools may list at most 1024 tools");
            return checked;
        }
        for (int i = 0; i < disabledTools.size(); i++) {
            checkTool("disabled_tools[" + i + "]", disabledTools.get(i), problems);
            checked.add(disabledTools.get(i));
        }
        return checked;
    }
}
