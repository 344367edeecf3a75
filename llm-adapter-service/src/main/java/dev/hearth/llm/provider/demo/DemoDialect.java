package dev.hearth.llm.provider.demo;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.llm.config.LlmAdapterConfig;
import dev.hearth.llm.provider.ProviderDialect;
import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateDone;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.TextDelta;
import dev.hearth.proto.v1.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;

/**
 * A provider without a network: streams a deterministic reply, paced like a real model, so
 * the suite can be tried (and tested end to end) with no LLM. Option {@code token_delay_ms}
 * sets the pace (0 = as fast as possible).
 */
@ApplicationScoped
public class DemoDialect implements ProviderDialect {

    public static final String NAME = "demo";
    static final String DEFAULT_MODEL = "demo-1";
    static final String TOKEN_DELAY_OPTION = "token_delay_ms";

    private final LlmAdapterConfig.Demo config;
    // Counted where tokens are made, so one can see emission really stops on cancel.
    private final Counter tokensEmitted;

    public DemoDialect(LlmAdapterConfig config, MeterRegistry registry) {
        this.config = config.demo();
        this.tokensEmitted = Counter.builder("hearth.llm.demo.tokens")
                .description("Tokens produced by the demo provider")
                .register(registry);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean requiresModel() {
        return false;
    }

    @Override
    public Multi<GenerateEvent> generate(GenerateRequest request) {
        return Multi.createFrom().deferred(() -> {
            DemoReply reply = DemoReply.answering(request.getMessagesList());
            Duration delay = tokenDelay(request);
            int limit = request.getParams().hasMaxTokens() ? request.getParams().getMaxTokens() : Integer.MAX_VALUE;
            List<String> tokens = reply.tokens().subList(0, Math.min(limit, reply.tokens().size()));
            FinishReason finish = tokens.size() < reply.tokens().size()
                    ? FinishReason.FINISH_REASON_LENGTH
                    : FinishReason.FINISH_REASON_STOP;
            GenerateEvent done = GenerateEvent.newBuilder().setDone(GenerateDone.newBuilder()
                    .setFinishReason(finish)
                    .setUsage(Usage.newBuilder()
                            .setPromptTokens(reply.promptTokens())
                            .setCompletionTokens(tokens.size()))
                    .setModel(request.getModel().isBlank() ? DEFAULT_MODEL : request.getModel())
                    .setProvider(NAME))
                    .build();

            // Timer ticks, not sleeps: no thread waits, and cancelling the subscription stops the ticks.
            Multi<String> paced = delay.isZero()
                    ? Multi.createFrom().iterable(tokens)
                    : Multi.createFrom().ticks().every(delay)
                            .select().first(tokens.size())
                            .map(tick -> tokens.get(tick.intValue()));
            return paced
                    .map(token -> {
                        tokensEmitted.increment();
                        return GenerateEvent.newBuilder().setText(TextDelta.newBuilder().setText(token)).build();
                    })
                    .onCompletion().continueWith(done);
        });
    }

    private Duration tokenDelay(GenerateRequest request) {
        String option = request.getProvider().getOptionsMap().get(TOKEN_DELAY_OPTION);
        if (option == null || option.isBlank()) {
            return Duration.ofMillis(Math.max(0, config.tokenDelayMs()));
        }
        try {
            long ms = Long.parseLong(option.strip());
            if (ms < 0 || ms > 60_000) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            throw ProviderErrors.invalidArgument("provider option token_delay_ms must be a number of "
                    + "milliseconds between 0 and 60000, not '" + option + "'");
        }
    }
}
