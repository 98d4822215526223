package tandem.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One YAML mapping being bound to a record. Each getter names a key, substitutes environment
 * variables, converts the value, and on any problem records it with the key's path and line and
 * returns the fallback, so binding goes on and every problem is found in one pass.
 *
 * <p>The keys a section knows are the keys its binder asked for, so adding a key is one getter
 * call; {@link #finish()} then reports every other key as unknown, listing the known ones and
 * suggesting the nearest.
 */
final class Section {

    private final String path;
    private final YamlNode.Mapping mapping;
    private final Context context;
    private final Set<String> known = new LinkedHashSet<>();
    private final List<Section> children = new ArrayList<>();

    /** What every section of one file shares. */
    record Context(Map<String, String> env, Problems problems) {
    }

    private Section(String path, YamlNode.Mapping mapping, Context context) {
        this.path = path;
        this.mapping = mapping;
        this.context = context;
    }

    /** The top of the file; an empty file is an empty mapping, so every key takes its default. */
    static Section root(YamlNode root, Context context) {
        if (root == null || root instanceof YamlNode.Scalar s && s.text() == null) {
            return new Section("", null, context);
        }
        if (root instanceof YamlNode.Mapping m) {
            return new Section("", m, context);
        }
        context.problems().add("", "the file must be a mapping of keys (listen, stores, ...), but it holds "
                + root.kind(), root.line());
        return new Section("", null, context);
    }

    /** Whether the mapping was in the file; an absent or null one reads as empty. */
    boolean isPresent() {
        return mapping != null;
    }

    /** The key's text after substitution, or null when absent. */
    String string(String key) {
        return scalar(key, "a single value", null, text -> text);
    }

    int integer(String key, int fallback) {
        return scalar(key, "a whole number", fallback, text -> {
            try {
                return Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a whole number");
            }
        });
    }

    /** A number such as 0.05, in [min, max]. */
    double decimal(String key, double fallback, double min, double max) {
        return scalar(key, "a number", fallback, text -> {
            double value;
            try {
                value = Double.parseDouble(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a number");
            }
            if (!(value >= min && value <= max)) {
                throw new IllegalArgumentException(text.strip() + " is out of range (expected: " + min + " to " + max + ")");
            }
            return value;
        });
    }

    /** A list of single values, such as table names; absent or null reads as an empty list. */
    List<String> strings(String key) {
        YamlNode node = take(key);
        List<String> items = new ArrayList<>();
        if (node instanceof YamlNode.Sequence list) {
            for (int i = 0; i < list.items().size(); i++) {
                YamlNode item = list.items().get(i);
                String itemPath = KeyPaths.index(KeyPaths.key(path, key), i);
                if (item instanceof YamlNode.Scalar scalar && scalar.text() != null) {
                    List<String> substitutionProblems = new ArrayList<>();
                    String text = EnvSubstitution.apply(scalar.text(), context.env(), substitutionProblems);
                    substitutionProblems.forEach(m -> context.problems().add(itemPath, m, item.line()));
                    if (text != null) {
                        items.add(text.strip());
                    }
                } else {
                    context.problems().add(itemPath, "expected a single value, found " + item.kind(), item.line());
                }
            }
        } else if (!isNull(node)) {
            problem(key, "expected a list such as [users, content], found " + node.kind());
        }
        return items;
    }

    /** Read-shift stages such as [10, 25, 50, 75, 100]: rising whole percentages ending at 100. */
    List<Integer> stages(String key, List<Integer> fallback) {
        boolean present = mapping != null && mapping.entries().get(key) != null;
        List<String> texts = strings(key);
        if (!present || texts.isEmpty()) {
            return fallback;
        }
        List<Integer> stages = new ArrayList<>();
        for (String t : texts) {
            try {
                stages.add(Integer.parseInt(t));
            } catch (NumberFormatException e) {
                problem(key, "'" + t + "' is not a whole percentage; expected a list such as [10, 25, 50, 75, 100]");
                return fallback;
            }
        }
        String why = PlanConfig.problem(stages);
        if (why != null) {
            problem(key, why + " (such as [10, 25, 50, 75, 100])");
            return fallback;
        }
        return stages;
    }

    /**
     * A mapping of free-form keys (such as {@code users.created_at}) to single values; absent or
     * null reads as empty. Its keys are data, so none is reported as unknown.
     *
     * @param expected what the mapping should look like, for the message when it is something else
     */
    Map<String, String> stringMap(String key, String expected) {
        YamlNode node = take(key);
        Map<String, String> entries = new java.util.LinkedHashMap<>();
        if (node instanceof YamlNode.Mapping m) {
            Section child = new Section(KeyPaths.key(path, key), m, context);
            for (String entry : m.entries().keySet()) {
                String value = child.string(entry);
                entries.put(entry, value == null ? "" : value.strip());
            }
        } else if (!isNull(node)) {
            problem(key, "expected " + expected + ", found " + node.kind());
        }
        return entries;
    }

    Duration duration(String key, Duration fallback) {
        return scalar(key, "a duration", fallback, Units::parseDuration);
    }

    long size(String key, long fallback) {
        return scalar(key, "a size", fallback, Units::parseSize);
    }

    HostPort hostPort(String key, HostPort fallback) {
        return scalar(key, "host:port", fallback, HostPort::parse);
    }

    /** An enum value, case-insensitive; the message lists the allowed values in lower case. */
    <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        return scalar(key, "one of " + allowed(type), fallback, text -> {
            for (E value : type.getEnumConstants()) {
                if (value.name().equalsIgnoreCase(text.strip())) {
                    return value;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not one of: " + allowed(type));
        });
    }

    /** A nested mapping; absent or null reads as an empty section (see {@link #isPresent()}). */
    Section section(String key) {
        YamlNode node = take(key);
        String childPath = KeyPaths.key(path, key);
        YamlNode.Mapping child = null;
        if (node instanceof YamlNode.Mapping m) {
            child = m;
        } else if (!isNull(node)) {
            problem(key, "expected a mapping of keys, found " + node.kind());
        }
        return adopt(new Section(childPath, child, context));
    }

    /** A list of mappings; absent or null reads as an empty list. */
    List<Section> sections(String key) {
        YamlNode node = take(key);
        List<Section> items = new ArrayList<>();
        if (node instanceof YamlNode.Sequence list) {
            for (int i = 0; i < list.items().size(); i++) {
                YamlNode item = list.items().get(i);
                String itemPath = KeyPaths.index(KeyPaths.key(path, key), i);
                if (item instanceof YamlNode.Mapping m) {
                    items.add(adopt(new Section(itemPath, m, context)));
                } else {
                    context.problems().add(itemPath, "expected a mapping of keys, found " + item.kind(), item.line());
                }
            }
        } else if (!isNull(node)) {
            problem(key, "expected a list, found " + node.kind());
        }
        return items;
    }

    /** Reports the keys nobody asked for, here and in every section under this one. */
    void finish() {
        if (mapping != null) {
            for (String key : mapping.entries().keySet()) {
                if (!known.contains(key)) {
                    String nearest = KeyNames.nearest(key, known);
                    problem(key, "unknown key" + (nearest == null ? "" : " (did you mean " + nearest + "?)")
                            + "; known keys here: " + String.join(", ", known));
                }
            }
        }
        children.forEach(Section::finish);
    }

    private <T> T scalar(String key, String expected, T fallback, Function<String, T> convert) {
        YamlNode node = take(key);
        if (isNull(node)) {
            return fallback;
        }
        if (!(node instanceof YamlNode.Scalar scalar)) {
            problem(key, "expected " + expected + ", found " + node.kind());
            return fallback;
        }
        List<String> substitutionProblems = new ArrayList<>();
        String text = EnvSubstitution.apply(scalar.text(), context.env(), substitutionProblems);
        if (text == null) {
            substitutionProblems.forEach(message -> problem(key, message));
            return fallback;
        }
        try {
            return convert.apply(text);
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return fallback;
        }
    }

    private YamlNode take(String key) {
        known.add(key);
        return mapping == null ? null : mapping.entries().get(key);
    }

    private void problem(String key, String message) {
        Integer line = mapping == null ? null : mapping.keyLines().get(key);
        context.problems().add(KeyPaths.key(path, key), message, line == null ? 0 : line);
    }

    private Section adopt(Section child) {
        children.add(child);
        return child;
    }

    private static boolean isNull(YamlNode node) {
        return node == null || node instanceof YamlNode.Scalar s && s.text() == null;
    }

    static <E extends Enum<E>> String allowed(Class<E> type) {
        StringBuilder out = new StringBuilder();
        for (E value : type.getEnumConstants()) {
            out.append(out.isEmpty() ? "" : ", ").append(value.name().toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }
}
