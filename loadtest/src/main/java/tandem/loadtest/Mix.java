package tandem.loadtest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import tandem.loadtest.Operation.Category;

/**
 * How often each category of operations runs, as relative weights: {@code inserts=30,reads=25}
 * runs inserts 30 times for every 25 reads. A category left out of a parsed mix does not run.
 */
public record Mix(Map<Category, Integer> weights) {

    /** Mostly writes, as a migration is tested hardest by them, with every kind present. */
    public static final Mix DEFAULT = parse("inserts=30,updates=25,deletes=5,transactions=10,rollbacks=5,reads=25");

    public Mix {
        weights = Collections.unmodifiableMap(new EnumMap<>(weights));
        int total = 0;
        for (Map.Entry<Category, Integer> e : weights.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("mix weight of " + e.getKey().key() + " is " + e.getValue()
                        + " (expected: >= 0)");
            }
            total += e.getValue();
        }
        if (total == 0) {
            throw new IllegalArgumentException("mix has no weight above 0; give at least one, e.g. inserts=1");
        }
    }

    /** Reads {@code inserts=30,updates=25,...}; categories are inserts, updates, deletes, transactions, rollbacks, reads. */
    public static Mix parse(String text) {
        Map<Category, Integer> weights = new EnumMap<>(Category.class);
        for (String part : text.split(",")) {
            String[] kv = part.strip().split("=", 2);
            Category category = category(kv[0].strip(), text);
            if (kv.length != 2) {
                throw new IllegalArgumentException("mix '" + text + "': '" + part.strip() + "' has no weight; write "
                        + category.key() + "=N");
            }
            try {
                weights.put(category, Integer.parseInt(kv[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("mix '" + text + "': weight '" + kv[1].strip() + "' of "
                        + category.key() + " is not a whole number");
            }
        }
        return new Mix(weights);
    }

    private static Category category(String name, String text) {
        for (Category c : Category.values()) {
            if (c.key().equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("mix '" + text + "': unknown category '" + name + "' (expected one of "
                + List.of(Category.values()).stream().map(Category::key).collect(Collectors.joining(", ")) + ")");
    }

    /** An operation drawn at random: its category by weight, then one of the category's operations. */
    public Operation pick(Random random) {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int r = random.nextInt(total);
        for (Map.Entry<Category, Integer> e : weights.entrySet()) {
            r -= e.getValue();
            if (r < 0) {
                List<Operation> ops = operations(e.getKey());
                return ops.get(random.nextInt(ops.size()));
            }
        }
        throw new AssertionError("weights changed while picking");
    }

    /** The operations a run with this mix can perform. */
    public List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        weights.forEach((category, weight) -> {
            if (weight > 0) {
                ops.addAll(operations(category));
            }
        });
        return ops;
    }

    private static List<Operation> operations(Category category) {
        return List.of(Operation.values()).stream().filter(o -> o.category() == category).toList();
    }

    @Override
    public String toString() {
        return weights.entrySet().stream().map(e -> e.getKey().key() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
