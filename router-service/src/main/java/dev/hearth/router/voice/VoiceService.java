package dev.hearth.router.voice;

import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.VoiceInput;
import dev.hearth.router.client.ConfigClient;
import dev.hearth.router.client.SpeechToTextClient;
import dev.hearth.router.client.TextToSpeechClient;
import dev.hearth.router.config.VoiceConfig;
import dev.hearth.router.service.ChatOrchestrator;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;

/** Spoken turns: each {@code Router.Voice} call is a {@link VoiceCall} over these collaborators. */
@ApplicationScoped
public class VoiceService {

    private final ConfigClient profiles;
    private final ChatOrchestrator chats;
    private final SpeechToTextClient stt;
    private final TextToSpeechClient tts;
    private final VoiceConfig settings;
    private final VoiceMetrics metrics;

    public VoiceService(ConfigClient profiles, ChatOrchestrator chats, SpeechToTextClient stt, TextToSpeechClient tts,
            VoiceConfig settings, VoiceMetrics metrics) {
        this.profiles = profiles;
        this.chats = chats;
        this.stt = stt;
        this.tts = tts;
        this.settings = settings;
        this.metrics = metrics;
    }

    public Multi<ChatEvent> voice(Multi<VoiceInput> inputs) {
        return Multi.createFrom().emitter(emitter -> new VoiceCall(this, emitter).start(inputs));
    }

    ConfigClient profiles() {
        return profiles;
    }

    ChatOrchestrator chats() {
        return chats;
    }

    SpeechToTextClient stt() {
        return stt;
    }

    TextToSpeechClient tts() {
        return tts;
    }

    VoiceConfig settings() {
        return settings;
    }

    VoiceMetrics metrics() {
        return metrics;
    }
}
