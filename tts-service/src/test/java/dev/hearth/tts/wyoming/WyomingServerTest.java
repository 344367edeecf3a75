package dev.hearth.tts.wyoming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.wyoming.WyomingTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Wyoming server, spoken to by a test client that writes the framing byte by byte. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class WyomingServerTest {

    @Inject
    WyomingServer server;

    @Inject
    dev.hearth.tts.engine.ProcessRunner processes;

    WyomingTestClient client() throws Exception {
        assertThat(server.port()).isPositive();
        return new WyomingTestClient(server.port());
    }

    /** Reads audio-start, chunks and audio-stop; returns the PCM. */
    static byte[] audio(WyomingTestClient client) throws Exception {
        WyomingTestClient.Event start = client.read();
        assertThat(start.type()).isEqualTo("audio-start");
        assertThat(start.data().getInteger("width")).isEqualTo(2);
        assertThat(start.data().getInteger("channels")).isEqualTo(1);
        int rate = start.data().getInteger("rate");
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        WyomingTestClient.Event event;
        while ((event = client.read()).type().equals("audio-chunk")) {
            assertThat(event.data().getInteger("rate")).isEqualTo(rate);
            assertThat(event.data().getInteger("width")).isEqualTo(2);
            pcm.writeBytes(event.payload());
        }
        assertThat(event.type()).isEqualTo("audio-stop");
        return pcm.toByteArray();
    }

    @Test
    void describeAnswersInfoWithATtsProgramAndItsVoices() throws Exception {
        try (WyomingTestClient client = client()) {
            client.raw("{\"type\":\"describe\"}\n");
            WyomingTestClient.Event info = client.read();
            assertThat(info.type()).isEqualTo("info");
            JsonObject program = info.data().getJsonArray("tts").getJsonObject(0);
            assertThat(program.getBoolean("installed")).isTrue();
            assertThat(program.getJsonObject("attribution").getString("name")).isEqualTo("Hearth");
            List<String> names = new ArrayList<>();
            program.getJsonArray("voices").forEach(v -> names.add(((JsonObject) v).getString("name")));
            assertThat(names).contains("kevin16");
            JsonObject kevin = program.getJsonArray("voices").stream().map(JsonObject.class::cast)
                    .filter(v -> v.getString("name").equals("kevin16")).findFirst().orElseThrow();
            assertThat(kevin.getJsonArray("languages").getList()).containsExactly("en_US");
            assertThat(kevin.getBoolean("installed")).isTrue();
            assertThat(kevin.getJsonObject("attribution").getString("name")).isEqualTo("freetts");
        }
    }

    @Test
    void synthesizeWithTheDataInASeparateSectionOrInline() throws Exception {
        try (WyomingTestClient client = client()) {
            client.send("synthesize", new JsonObject().put("text", "Hello from Hearth. Second sentence.")
                    .put("voice", new JsonObject().put("name", "kevin16")));
            byte[] pcm = audio(client);
            assertThat(pcm.length / 2.0 / 16000).isBetween(1.0, 6.0);
            // The same connection goes on; data given inline in the header works too.
            client.raw("{\"type\":\"synthesize\",\"data\":{\"text\":\"Inline.\",\"voice\":{\"name\":\"kevin16\"}}}\n");
            assertThat(audio(client).length).isPositive();
        }
    }

    @Test
    void streamingSynthesisSpeaksSentencesAsTheyComplete() throws Exception {
        try (WyomingTestClient client = client()) {
            client.send("synthesize-start", new JsonObject().put("voice", new JsonObject().put("name", "kevin16")));
            client.send("synthesize-chunk", new JsonObject().put("text", "The first sentence is here. The sec"));
            // Audio for the first sentence comes before the rest of the text is sent.
            WyomingTestClient.Event start = client.read();
            assertThat(start.type()).isEqualTo("audio-start");
            assertThat(client.read().type()).isEqualTo("audio-chunk");
            client.send("synthesize-chunk", new JsonObject().put("text", "ond one ends here."));
            // What streaming clients also send for older servers is ignored.
            client.send("synthesize", new JsonObject().put("text", "The first sentence is here. The second one ends here."));
            client.send("synthesize-stop", new JsonObject());
            WyomingTestClient.Event event;
            int chunks = 1;
            while ((event = client.read()).type().equals("audio-chunk")) {
                chunks++;
            }
            assertThat(chunks).isGreaterThan(2);
            assertThat(event.type()).isEqualTo("audio-stop");
            assertThat(client.read().type()).isEqualTo("synthesize-stopped");
        }
    }

    @Test
    void pingUnknownTypesAndBadRequestsKeepTheConnection() throws Exception {
        try (WyomingTestClient client = client()) {
            client.send("ping", new JsonObject().put("text", "hi"));
            WyomingTestClient.Event pong = client.read();
            assertThat(pong.type()).isEqualTo("pong");
            assertThat(pong.data().getString("text")).isEqualTo("hi");

            client.raw("{\"type\":\"transcribe\"}\n");
            WyomingTestClient.Event unknown = client.read();
            assertThat(unknown.type()).isEqualTo("error");
            assertThat(unknown.data().getString("code")).isEqualTo("unknown-event");
            assertThat(unknown.data().getString("text")).contains("transcribe");

            client.send("synthesize", new JsonObject().put("text", "Hi.").put("voice", new JsonObject().put("name", "nobody")));
            WyomingTestClient.Event voice = client.read();
            assertThat(voice.data().getString("code")).isEqualTo("bad-request");
            assertThat(voice.data().getString("text")).contains("unknown voice 'nobody'");

            client.send("synthesize", new JsonObject());
            assertThat(client.read().data().getString("text")).contains("text");
            client.send("synthesize-chunk", new JsonObject().put("text", "x"));
            assertThat(client.read().data().getString("text")).contains("without synthesize-start");

            client.raw("{\"type\":\"ping\",\"data_length\":5}\nnot{}");
            assertThat(client.read().data().getString("code")).isEqualTo("bad-data");

            client.raw("{\"type\":\"ping\"}\n");
            assertThat(client.read().type()).isEqualTo("pong");
        }
    }

    @Test
    void aGarbageHeaderIsAnErrorThenCloseAndOthersAreUnaffected() throws Exception {
        try (WyomingTestClient other = client(); WyomingTestClient client = client()) {
            client.raw("this is not json\n");
            WyomingTestClient.Event error = client.read();
            assertThat(error.type()).isEqualTo("error");
            assertThat(error.data().getString("code")).isEqualTo("bad-header");
            assertThat(client.closedByServer()).isTrue();

            other.raw("{\"type\":\"ping\"}\n");
            assertThat(other.read().type()).isEqualTo("pong");
        }
        try (WyomingTestClient client = client()) {
            client.raw("{\"data\":{}}\n");
            assertThat(client.read().data().getString("text")).contains("no type");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aClientThatGoesAwayStopsItsSynthesis() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.hearth.tts.engine.ProcessRunner.installed("flite"),
                "flite is not installed: apt-get install flite");
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 15000; i++) {
            text.append("word ").append(i).append(" and some more words here ");
        }
        java.util.Set<ProcessHandle> running;
        try (WyomingTestClient client = client()) {
            client.send("synthesize", new JsonObject().put("text", text.toString())
                    .put("voice", new JsonObject().put("name", "kal")));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !processes.running().isEmpty());
            running = processes.running();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                .until(() -> running.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void aTruncatedFrameIsAnErrorThenClose() throws Exception {
        try (WyomingTestClient client = client()) {
            client.raw("{\"type\":\"audio-chunk\",\"payload_length\":100}\n0123456789");
            WyomingTestClient.Event error = client.read();
            assertThat(error.type()).isEqualTo("error");
            assertThat(error.data().getString("code")).isEqualTo("truncated-frame");
            assertThat(client.closedByServer()).isTrue();
        }
        try (WyomingTestClient client = client()) {
            client.raw("{\"type\":\"ping\"}\n");
            assertThat(client.read().type()).isEqualTo("pong");
        }
    }
}
