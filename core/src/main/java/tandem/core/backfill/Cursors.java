package tandem.core.backfill;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins the parts of a page cursor (a key's values, as a store writes them) into one text that a
 * checkpoint can hold, and splits it again: parts separated by commas, commas and backslashes in
 * a part escaped with a backslash. PostgreSQL text cannot hold NUL, so no control character is used.
 */
public final class Cursors {

    private Cursors() {
    }

    public static String join(List<String> parts) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String part = parts.get(i);
            for (int c = 0; c < part.length(); c++) {
                char ch = part.charAt(c);
                if (ch == ',' || ch == '\\') {
                    out.append('\\');
                }
                out.append(ch);
            }
        }
        return out.toString();
    }

    public static List<String> split(String cursor) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int c = 0; c < cursor.length(); c++) {
            char ch = cursor.charAt(c);
            if (ch == '\\' && c + 1 < cursor.length()) {
                part.append(cursor.charAt(++c));
            } else if (ch == ',') {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(ch);
            }
        }
        parts.add(part.toString());
        return parts;
    }
}
