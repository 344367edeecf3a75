package dev.hearth.llm.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

class OllamaBaseUrlTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({
            "'', http://localhost:11434",
            "'  ', http://localhost:11434",
            "http://localhost:11434, http://localhost:11434",
            "http://localhost:11434/, http://localhost:11434",
            "http://localhost:11434/v1, http://localhost:11434",
            "http://localhost:11434/v1/, http://localhost:11434",
            "https://ollama.com/api, https://ollama.com",
            "http://gpu-box.lan:11434/API/, http://gpu-box.lan:11434",
            "https://proxy.lan/ollama/api, https://proxy.lan/ollama" })
    void meansTheServerRoot(String given, String root) {
        assertEquals(URI.create(root), OllamaBaseUrl.of(given));
    }

    @ParameterizedTest
    @ValueSource(strings = { "localhost:11434", "ftp://localhost:11434", "http://", "http://host:11434/?x=1", "http://a b" })
    void refusesWhatIsNotAnHttpUrl(String given) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> OllamaBaseUrl.of(given));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("base_url");
    }
}
