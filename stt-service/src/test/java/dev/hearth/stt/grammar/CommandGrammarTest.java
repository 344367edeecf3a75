package dev.hearth.stt.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.proto.v1.HomeDevice;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class CommandGrammarTest {

    static final Set<String> WORDS = Set.of("kitchen", "light", "living", "room", "lamp", "two", "twenty", "one", "kids",
            "hue", "strip", "bedroom", "fan");
    static final Predicate<String> DICTIONARY = WORDS::contains;

    static HomeDevice device(String name, String room, String... aliases) {
        return HomeDevice.newBuilder().setFriendlyName(name).setRoom(room).addAllAliases(List.of(aliases)).build();
    }

    @Test
    void namesAreLowerCasedStrippedSpelledAndUnknownWordsDropped() {
        assertThat(CommandGrammar.normalize("Kitchen-Light!", DICTIONARY)).isEqualTo("kitchen light");
        assertThat(CommandGrammar.normalize("Lamp 2", DICTIONARY)).isEqualTo("lamp two");
        assertThat(CommandGrammar.normalize("lamp21", DICTIONARY)).isEqualTo("lamp twenty one");
        assertThat(CommandGrammar.normalize("Kid's room", DICTIONARY)).isEqualTo("kids room");
        assertThat(CommandGrammar.normalize("Hue Zqxlight strip", DICTIONARY)).isEqualTo("hue strip");
        assertThat(CommandGrammar.normalize("Zqx", DICTIONARY)).isEmpty();
        assertThat(CommandGrammar.spellNumber("105")).isEqualTo("one zero five");
    }

    @Test
    void theGrammarHasTheHomesNamesAndCommandShapes() {
        CommandGrammar g = CommandGrammar.of(List.of(device("Kitchen light", "Kitchen", "Light 1"),
                device("Fan 2", "Bedroom"), device("Zqx", "Zqx room")), DICTIONARY);
        assertThat(g.devices()).containsExactlyInAnyOrder("kitchen light", "light one", "fan two");
        assertThat(g.rooms()).containsExactlyInAnyOrder("kitchen", "bedroom", "room");
        assertThat(g.jsgf()).startsWith("#JSGF V1.0;").contains("public <command> =").contains("<device> = fan two | kitchen light | light one;")
                .contains("what is the temperature in [the] <room>").doesNotContain("zqx");
    }

    @Test
    void aHomeWithoutUsableNamesHasNoGrammar() {
        assertThat(CommandGrammar.of(List.of(device("Zqx", "")), DICTIONARY)).isNull();
        assertThat(CommandGrammar.of(List.of(), DICTIONARY)).isNull();
    }
}
