package tandem.core.sql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * The rows of a COPY FROM STDIN stream in text or csv format, as PostgreSQL's COPY reads them,
 * fed in chunks as they arrive (a row may span chunks). Each row is its fields, null for NULL.
 *
 * <p>Text: fields split by the delimiter, {@code \N} (or the NULL string) for NULL, backslash
 * escapes ({@code \t \n \r \b \f \v \\}, octal {@code \123}, hex {@code \x41}), a line {@code \.}
 * ends the data (in text format only, as PostgreSQL 15's server reads it). CSV: fields in quotes may hold delimiters, quotes (doubled, or after the escape
 * character) and newlines; an unquoted field equal to the NULL string is NULL.
 */
public final class CopyRows {

    private final CopyCommand command;
    private final Consumer<List<String>> rows;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean inQuotes;
    private boolean headerSkipped;
    private boolean ended;
    private long lineNumber;

    public CopyRows(CopyCommand command, Consumer<List<String>> rows) {
        this.command = command;
        this.rows = rows;
    }

    /** The line being read, for error messages (PostgreSQL's {@code COPY t, line n}). */
    public long lineNumber() {
        return lineNumber;
    }

    public void accept(byte[] chunk) {
        for (byte b : chunk) {
            if (ended) {
                return;
            }
            if (command.csv() && b == command.quote()) {
                inQuotes = !inQuotes; // a doubled quote toggles twice; the field parser reads it again
            }
            if (b == '\n' && !inQuotes) {
                endLine();
            } else {
                line.write(b);
            }
        }
    }

    /** The end of the stream: a last line without its newline counts. */
    public void finish() {
        if (!ended && line.size() > 0) {
            endLine();
        }
        if (inQuotes) {
            throw bad("unterminated CSV quoted field");
        }
    }

    private void endLine() {
        byte[] bytes = line.toByteArray();
        line.reset();
        lineNumber++;
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (command.header() && !headerSkipped) {
            headerSkipped = true;
            return;
        }
        if (!command.csv() && text.equals("\\.")) { // in csv, PostgreSQL 15 reads \. as a value
            ended = true;
            return;
        }
        rows.accept(command.csv() ? csvFields(text) : textFields(text));
    }

    private List<String> textFields(String text) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == command.delimiter()) {
                // the NULL marker is matched against the field as written, before its escapes are read
                fields.add(text.substring(start, i).equals(command.nullString()) ? null : field.toString());
                field.setLength(0);
                start = i + 1;
                continue;
            }
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= text.length()) {
                field.append(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'b' -> field.append('\b');
                case 'f' -> field.append('\f');
                case 'n' -> field.append('\n');
                case 'r' -> field.append('\r');
                case 't' -> field.append('\t');
                case 'v' -> field.append('\u000b');
                case 'x' -> {
                    int end = i + 1;
                    while (end < text.length() && end < i + 3 && Character.digit(text.charAt(end), 16) >= 0) {
                        end++;
                    }
                    if (end == i + 1) {
                        field.append('x');
                    } else {
                        field.append((char) Integer.parseInt(text.substring(i + 1, end), 16));
                        i = end - 1;
                    }
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i;
                        while (end < text.length() && end < i + 3 && text.charAt(end) >= '0' && text.charAt(end) <= '7') {
                            end++;
                        }
                        field.append((char) Integer.parseInt(text.substring(i, end), 8));
                        i = end - 1;
                    } else {
                        field.append(e); // \\ and any other character as itself
                    }
                }
            }
        }
        return fields;
    }

    private List<String> csvFields(String text) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || !quoted && text.charAt(i) == command.delimiter()) {
                String value = field.toString();
                fields.add(!wasQuoted && value.equals(command.nullString()) ? null : value);
                field.setLength(0);
                wasQuoted = false;
                continue;
            }
            char c = text.charAt(i);
            if (quoted) {
                if (c == command.escape() && i + 1 < text.length() && text.charAt(i + 1) == command.quote()) {
                    field.append(command.quote());
                    i++;
                } else if (c == command.quote()) {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == command.quote()) {
                quoted = true;
                wasQuoted = true;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw bad("unterminated CSV quoted field");
        }
        return fields;
    }

    private ProxyException bad(String message) {
        return new ProxyException(SqlState.BAD_COPY_FILE_FORMAT, message, "COPY " + command.table().name() + ", line "
                + lineNumber, null);
    }
}
