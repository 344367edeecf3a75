package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.proto.v1.ToolSpec;
import dev.hearth.router.service.ToolArguments;
import org.junit.jupiter.api.Test;

/** The model's arguments against a tool's JSON Schema (the shape mcp-config's date_difference lists). */
class ToolArgumentsTest {

    private static final String DATE = "{\"type\":\"string\",\"pattern\":\"^\\\\d{4}-\\\\d{2}-\\\\d{2}$\"}";
    private static final ToolArguments DATE_DIFFERENCE = ToolArguments.of(ToolSpec.newBuilder().setName("date_difference")
            .setInputSchemaJson("{\"type\":\"object\",\"properties\":{\"to\":" + DATE + ",\"from\":" + DATE
                    + ",\"timezone\":{\"type\":\"string\"}},\"required\":[\"to\"],\"additionalProperties\":false}")
            .build());

    @Test
    void validArgumentsPass() {
        assertThat(DATE_DIFFERENCE.problem("{\"to\":\"2025-12-24\"}")).isEmpty();
        assertThat(DATE_DIFFERENCE.problem("{\"to\":\"2025-12-24\",\"timezone\":\"Europe/Paris\"}")).isEmpty();
    }

    @Test
    void eachBrokenRuleIsNamed() {
        assertThat(DATE_DIFFERENCE.problem("{}")).get().asString().contains("to");
        assertThat(DATE_DIFFERENCE.problem("{\"to\":\"24/12/2025\"}")).get().asString().contains("pattern");
        assertThat(DATE_DIFFERENCE.problem("{\"to\":\"2025-12-24\",\"colour\":\"red\"}")).get().asString().contains("colour");
        assertThat(DATE_DIFFERENCE.problem("{\"to\":7}")).get().asString().contains("string");
        assertThat(DATE_DIFFERENCE.problem("{\"to\":")).get().asString().startsWith("arguments are not valid JSON");
        // a model's "" for "no arguments" is {}: here that still lacks `to`
        assertThat(DATE_DIFFERENCE.problem("")).get().asString().contains("to");
    }

    @Test
    void aToolWithoutASchemaTakesAnyObject() {
        ToolArguments open = ToolArguments.of(ToolSpec.newBuilder().setName("anything").build());
        assertThat(open.problem("")).isEmpty();
        assertThat(open.problem("{\"a\":1}")).isEmpty();
        assertThat(open.problem("[1]")).isPresent();
    }

    @Test
    void aSchemaNamingAnOlderDraftUsesTheBundledMetaSchema() {
        ToolArguments draft7 = ToolArguments.of(ToolSpec.newBuilder().setName("draft7").setInputSchemaJson(
                "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
                        + "\"properties\":{\"n\":{\"type\":\"integer\"}}}").build());
        assertThat(draft7.problem("{\"n\":1}")).isEmpty();
        assertThat(draft7.problem("{\"n\":\"one\"}")).isPresent();
    }

    @Test
    void aSchemaIsNeverFetchedFromTheNetwork() {
        // Nothing listens on port 1: a fetch would be refused; the schema is refused before any is tried.
        assertThatThrownBy(() -> ToolArguments.of(ToolSpec.newBuilder().setName("remote")
                .setInputSchemaJson("{\"$ref\":\"http://127.0.0.1:1/schema.json\"}").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("remote")
                .hasMessageContaining("not allowed to be loaded")
                .hasRootCauseInstanceOf(com.networknt.schema.InvalidSchemaException.class);
        assertThatThrownBy(() -> ToolArguments.of(ToolSpec.newBuilder().setName("broken").setInputSchemaJson("{").build()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
