package dev.hearth.stt.grammar;

import dev.hearth.proto.v1.HomeDevice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The home's command grammar (JSGF) from its device and room names and the common command shapes:
 * turn/switch on/off, set/dim/brighten to a spelled-out number (percent, degrees), open/close,
 * lock/unlock, the temperature in a room, whether a device is on. Names are lower-cased and stripped
 * of punctuation; digits are spelled out; words the pronunciation dictionary does not know are
 * dropped (a name left empty is left out), so an unusual name never breaks the grammar.
 */
public final class CommandGrammar {

    private static final String[] UNITS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    private static final String[] TEENS = {"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};

    private final String jsgf;
    private final Set<String> devices;
    private final Set<String> rooms;

    private CommandGrammar(String jsgf, Set<String> devices, Set<String> rooms) {
        this.jsgf = jsgf;
        this.devices = devices;
        this.rooms = rooms;
    }

    /** Null when no device has a usable name (there is nothing to command). */
    public static CommandGrammar of(Collection<HomeDevice> homeDevices, Predicate<String> dictionary) {
        Set<String> devices = new TreeSet<>();
        Set<String> rooms = new TreeSet<>();
        for (HomeDevice device : homeDevices) {
            add(devices, normalize(device.getFriendlyName(), dictionary));
            for (String alias : device.getAliasesList()) {
                add(devices, normalize(alias, dictionary));
            }
            add(rooms, normalize(device.getRoom(), dictionary));
        }
        if (devices.isEmpty()) {
            return null;
        }
        StringBuilder g = new StringBuilder("#JSGF V1.0;\ngrammar home;\n");
        g.append("<device> = ").append(alternatives(devices)).append(";\n");
        boolean hasRooms = !rooms.isEmpty();
        if (hasRooms) {
            g.append("<room> = ").append(alternatives(rooms)).append(";\n");
        }
        g.append("<units> = one | two | three | four | five | six | seven | eight | nine;\n");
        g.append("<number> = zero | <units> | ").append(String.join(" | ", TEENS))
                .append(" | (twenty | thirty | forty | fifty | sixty | seventy | eighty | ninety) [<units>] | one hundred;\n");
        g.append("<target> = [the] <device>").append(hasRooms ? " [in [the] <room>]" : "").append(";\n");
        g.append("<lights> = [all] [the] lights").append(hasRooms ? " in [the] <room>" : "").append(";\n");
        List<String> shapes = new ArrayList<>();
        shapes.add("[please] (turn | switch) (on | off) (<target> | <lights>)");
        shapes.add("[please] (turn | switch) <target> (on | off)");
        shapes.add("[please] (set | dim | brighten) <target> to <number> [percent | degrees]");
        shapes.add("[please] (open | close) <target>");
        shapes.add("[please] (lock | unlock) <target>");
        shapes.add("is <target> (on | off | open | closed | locked | unlocked)");
        if (hasRooms) {
            shapes.add("what is the temperature in [the] <room>");
            shapes.add("(set | turn) the (heating | temperature) in [the] <room> to <number> [degrees]");
        }
        g.append("public <command> = ").append(String.join("\n    | ", shapes)).append(";\n");
        return new CommandGrammar(g.toString(), Set.copyOf(devices), Set.copyOf(rooms));
    }

    /** Lower case, punctuation gone, digits spelled, unknown words dropped; empty when nothing is left. */
    public static String normalize(String name, Predicate<String> dictionary) {
        if (name == null || name.isBlank()) {
            return "";
        }
        String plain = name.toLowerCase(Locale.ROOT).replace("'", "").replaceAll("[^a-z0-9 ]+", " ");
        List<String> words = new ArrayList<>();
        for (String token : plain.trim().split("\\s+")) {
            for (String word : spellDigits(token).split(" ")) {
                if (!word.isEmpty() && dictionary.test(word)) {
                    words.add(word);
                }
            }
        }
        return String.join(" ", words);
    }

    /** "2" → "two", "21" → "twenty one", "lamp2" → "lamp two"; numbers above 99 digit by digit. */
    static String spellDigits(String token) {
        String split = token.replaceAll("(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])", " ");
        return java.util.Arrays.stream(split.split(" ")).map(t -> t.chars().allMatch(Character::isDigit) ? spellNumber(t) : t)
                .collect(Collectors.joining(" "));
    }

    /** 0..99 as words, anything longer digit by digit. */
    public static String spellNumber(String digits) {
        int n = digits.length() <= 2 ? Integer.parseInt(digits) : -1;
        if (n < 0) {
            return digits.chars().mapToObj(c -> UNITS[c - '0']).collect(Collectors.joining(" "));
        }
        if (n < 10) {
            return UNITS[n];
        }
        if (n < 20) {
            return TEENS[n - 10];
        }
        return n % 10 == 0 ? TENS[n / 10] : TENS[n / 10] + " " + UNITS[n % 10];
    }

    private static void add(Set<String> into, String normalized) {
        if (!normalized.isEmpty()) {
            into.add(normalized);
        }
    }

    private static String alternatives(Set<String> names) {
        return names.stream().collect(Collectors.joining(" | "));
    }

    public String jsgf() {
        return jsgf;
    }

    public Set<String> devices() {
        return devices;
    }

    public Set<String> rooms() {
        return rooms;
    }
}
