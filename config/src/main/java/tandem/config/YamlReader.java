package tandem.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads YAML text into {@link YamlNode}s with Jackson's streaming parser. Syntax errors end the
 * read with a {@link ConfigException} naming the line; duplicate keys, aliases and extra documents
 * are problems reported with the rest, since the file still parsed.
 */
final class YamlReader {

    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final Pattern MARK = Pattern.compile("\\n in '[^']*', line (\\d+), column (\\d+):");

    private final YAMLParser parser;
    private final Problems problems;

    private YamlReader(YAMLParser parser, Problems problems) {
        this.parser = parser;
        this.problems = problems;
    }

    /** @return the document's root, or null when the document is empty */
    static YamlNode read(String yaml, String source, Problems problems) {
        try (YAMLParser parser = FACTORY.createParser(yaml)) {
            YamlReader reader = new YamlReader(parser, problems);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            YamlNode root = reader.node(first, "");
            if (parser.nextToken() != null) {
                problems.add(new ConfigProblem("", "the file holds more than one YAML document (a '---' line starts "
                        + "another); tandem reads one, so remove the others", line(parser)));
            }
            return root;
        } catch (JsonProcessingException e) {
            // SnakeYAML's message names where the problem is; Jackson's location is the last good token
            Matcher mark = MARK.matcher(String.valueOf(e.getOriginalMessage()));
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            while (mark.find()) {
                line = Integer.parseInt(mark.group(1));
                column = Integer.parseInt(mark.group(2));
            }
            throw ConfigException.syntax(source, line, column, reason(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ConfigException.unreadable(source, String.valueOf(e.getMessage()));
        }
    }

    private YamlNode node(JsonToken token, String path) throws IOException {
        int line = line(parser);
        return switch (token) {
            case START_OBJECT -> mapping(path, line);
            case START_ARRAY -> sequence(path, line);
            case VALUE_NULL -> new YamlNode.Scalar(null, line);
            default -> {
                if (parser.isCurrentAlias()) {
                    problems.add(new ConfigProblem(path, "YAML aliases (*" + parser.getText()
                            + ") are not supported; write the value out", line));
                }
                yield new YamlNode.Scalar(parser.getText(), line);
            }
        };
    }

    private YamlNode mapping(String path, int line) throws IOException {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int keyLine = line(parser);
            String keyPath = KeyPaths.key(path, key);
            YamlNode value = node(parser.nextToken(), keyPath);
            if (entries.containsKey(key)) {
                problems.add(new ConfigProblem(keyPath, "appears twice (first at line " + keyLines.get(key)
                        + "); keep one", keyLine));
            } else {
                entries.put(key, value);
                keyLines.put(key, keyLine);
            }
        }
        return new YamlNode.Mapping(entries, keyLines, line);
    }

    private YamlNode sequence(String path, int line) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            items.add(node(token, KeyPaths.index(path, items.size())));
        }
        return new YamlNode.Sequence(items, line);
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }

    /**
     * SnakeYAML's message repeats the position and quotes the source around it; keep only the
     * description of the problem (the line before the last position), since the line is given apart.
     */
    static String reason(String message) {
        if (message == null) {
            return "unreadable YAML";
        }
        String[] lines = message.split("\n");
        String reason = null;
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i + 1].startsWith(" in ") && !lines[i].isBlank()) {
                reason = lines[i].strip();
            }
        }
        reason = reason != null ? reason : lines[0].strip();
        if (reason.startsWith("mapping values are not allowed")) {
            // the usual cause: an unquoted value such as jdbc:sqlite::memory: or a: b
            reason += "; quote a value that contains ': ' or ends with ':'";
        }
        return reason;
    }
}
