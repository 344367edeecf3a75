package dev.hearth.router.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.resource.AllowSchemaLoader;
import dev.hearth.proto.v1.ToolSpec;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A tool of the catalog with the JSON Schema its arguments must satisfy. */
public final class ToolArguments {

    private static final ObjectMapper JSON = new ObjectMapper();
    // Draft 2020-12 unless a schema names its own. Never fetches a $ref from the network (a tool's
    // schema comes from config or a third-party MCP server): only the bundled meta-schemas load.
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaLoaders(loaders -> loaders.add(new AllowSchemaLoader(ToolArguments::bundled))));

    private final ToolSpec spec;
    private final JsonSchema schema;

    private ToolArguments(ToolSpec spec, JsonSchema schema) {
        this.spec = spec;
        this.schema = schema;
    }

    /** The tool with its schema compiled; fails with IllegalArgumentException on an unusable schema. */
    public static ToolArguments of(ToolSpec spec) {
        String source = spec.getInputSchemaJson().isBlank() ? "{\"type\":\"object\"}" : spec.getInputSchemaJson();
        try {
            JsonSchema schema = SCHEMAS.getSchema(JSON.readTree(source));
            schema.initializeValidators(); // resolve every $ref now, not at the first call
            return new ToolArguments(spec, schema);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("tool '" + spec.getName() + "' has an unusable input schema: " + e.getMessage(), e);
        }
    }

    private static boolean bundled(AbsoluteIri iri) {
        String uri = iri.toString();
        // json-schema.org meta-schemas are mapped to copies in the validator's jar
        return uri.startsWith("classpath:") || uri.startsWith("https://json-schema.org/")
                || uri.startsWith("http://json-schema.org/");
    }

    ToolSpec spec() {
        return spec;
    }

    /** A model sends "" for a tool without parameters; that means no arguments. */
    static String normalize(String argumentsJson) {
        return argumentsJson.isBlank() ? "{}" : argumentsJson;
    }

    /** What is wrong with the model's arguments, in words the model can act on; empty when valid. */
    public Optional<String> problem(String argumentsJson) {
        JsonNode arguments;
        try {
            arguments = JSON.readTree(normalize(argumentsJson));
        } catch (JsonProcessingException e) {
            return Optional.of("arguments are not valid JSON: " + e.getOriginalMessage());
        }
        Set<ValidationMessage> errors = schema.validate(arguments);
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")));
    }
}
