package tandem.config;

import java.util.List;
import java.util.Map;

/**
 * A parsed YAML node that keeps what binding needs and Jackson's tree drops: each scalar's text as
 * written ({@code 0123} stays {@code 0123}, which matters for a password) and the line it is on.
 */
sealed interface YamlNode {

    int line();

    /** What the node is, for "expected …, found …" messages; never its value, which may be secret. */
    String kind();

    /** @param keyLines the line of each key, for problems about the key itself */
    record Mapping(Map<String, YamlNode> entries, Map<String, Integer> keyLines, int line) implements YamlNode {
        public String kind() {
            return "a mapping";
        }
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        public String kind() {
            return "a list";
        }
    }

    /** @param text the scalar as written, or null for YAML null ({@code ~}, {@code null} or nothing) */
    record Scalar(String text, int line) implements YamlNode {
        public String kind() {
            return "a single value";
        }
    }
}
