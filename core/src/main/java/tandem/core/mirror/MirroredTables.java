package tandem.core.mirror;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.config.MigrationConfig;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.store.Store;

/**
 * Which tables of the primary are mirrored, and how: decided once at startup from the config
 * ({@code migration.tables}, {@code exclude}, {@code keyless}) and both stores' schemas.
 *
 * <ul>
 * <li><b>by row</b>: the table has a primary key in both stores, on the same columns, and every
 * column of the primary's table exists in the secondary's with a type its values convert to;
 * <li><b>by statement</b>: the primary's table has no primary key and {@code keyless: statement};
 * <li><b>excluded</b>: listed in {@code exclude}, not listed in a non-empty {@code tables}, or
 * keyless with {@code keyless: exclude}.
 * </ul>
 *
 * Anything else is an error at startup that lists every table to fix and how, all at once, so an
 * operator fixes the schema in one go rather than one restart per table.
 */
public final class MirroredTables {

    private static final Logger log = LoggerFactory.getLogger(MirroredTables.class);

    private final Map<String, MirroredTable> byName;
    private final List<String> report;

    private MirroredTables(Map<String, MirroredTable> byName, List<String> report) {
        this.byName = byName;
        this.report = report;
    }

    /** Plans from the stores' current schemas; the stores' names ({@code old}, {@code new}) appear in messages. */
    public static MirroredTables plan(MigrationConfig config, Store primary, Store secondary) {
        return plan(config, primary.name(), primary.schema(), secondary.name(), secondary.schema());
    }

    /**
     * @throws ProxyException (55000) listing every table that can be mirrored neither by row nor
     *     by statement, each with what to change
     */
    public static MirroredTables plan(MigrationConfig config, String primaryName, Schema primary,
            String secondaryName, Schema secondary) {
        Set<String> excluded = lower(config.exclude());
        Set<String> listed = lower(config.tables());
        Map<String, MirroredTable> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<String> problems = new ArrayList<>();
        List<String> report = new ArrayList<>();

        Map<String, String> candidates = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        primary.tables().keySet().forEach(t -> candidates.put(t, t));
        primary.unmirrorable().keySet().forEach(t -> candidates.put(t, t));
        for (String name : config.tables()) {
            if (!candidates.containsKey(name)) {
                problems.add("table " + name + " is listed in migration.tables but does not exist in the " + primaryName
                        + " store; correct the name or remove it from the list");
            }
        }
        for (String name : candidates.values()) {
            String lower = name.toLowerCase(Locale.ROOT);
            MirroredTable table;
            if (excluded.contains(lower)) {
                table = MirroredTable.excluded(name, "listed in migration.exclude");
            } else if (!listed.isEmpty() && !listed.contains(lower)) {
                table = MirroredTable.excluded(name, "not listed in migration.tables");
            } else {
                table = decide(config, name, primaryName, primary, secondaryName, secondary, problems);
            }
            if (table != null) {
                byName.put(name, table);
                report.add(line(table));
            }
        }
        for (String name : config.exclude()) {
            if (!candidates.containsKey(name)) {
                report.add(name + ": excluded (listed in migration.exclude; the " + primaryName + " store has no such table)");
            }
        }
        if (!problems.isEmpty()) {
            throw new ProxyException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, problems.size() == 1
                    ? "a table cannot be mirrored: " + problems.get(0)
                    : problems.size() + " tables cannot be mirrored:\n  " + String.join("\n  ", problems),
                    null, "change the " + secondaryName + " store's schema as said, or list the tables in migration.exclude");
        }
        return new MirroredTables(Collections.unmodifiableMap(byName), List.copyOf(report));
    }

    private static MirroredTable decide(MigrationConfig config, String name, String primaryName, Schema primary,
            String secondaryName, Schema secondary, List<String> problems) {
        String unmirrorable = primary.unmirrorableReason(name);
        if (unmirrorable != null) {
            problems.add("table " + name + ": " + unmirrorable + " in the " + primaryName + " store; exclude the table");
            return null;
        }
        Table source = primary.table(name);
        Table full = secondary.table(name);
        String secondaryProblem = secondary.unmirrorableReason(name);
        if (!source.hasKey()) {
            if (config.keyless() == MigrationConfig.KeylessTables.EXCLUDE) {
                return MirroredTable.excluded(name, "no primary key, and migration.keyless is exclude");
            }
            if (full == null && secondaryProblem == null) {
                problems.add("table " + name + " is missing in the " + secondaryName + " store; create it or exclude the table");
                return null;
            }
            return MirroredTable.byStatement(name, source, full, "no primary key: the client's statements are "
                    + "replayed, so now(), random(), defaults and sequences may give the " + secondaryName
                    + " store other values; add a primary key to mirror by row");
        }
        if (secondaryProblem != null) {
            problems.add("table " + name + ": " + secondaryProblem + " in the " + secondaryName
                    + " store; change the column's type or exclude the table");
            return null;
        }
        if (full == null) {
            problems.add("table " + name + " is missing in the " + secondaryName + " store; create it or exclude the table");
            return null;
        }
        int before = problems.size();
        if (!full.hasKey()) {
            problems.add("table " + name + " has no primary key in the " + secondaryName + " store; add PRIMARY KEY ("
                    + String.join(", ", source.key()) + ") or exclude the table");
        } else if (!lower(full.key()).equals(lower(source.key())) || full.key().size() != source.key().size()) {
            problems.add("table " + name + ": the primary key is (" + String.join(", ", source.key()) + ") in the "
                    + primaryName + " store but (" + String.join(", ", full.key()) + ") in the " + secondaryName
                    + " store; make them the same columns or exclude the table");
        }
        for (Column column : source.columns()) {
            Column to = full.column(column.name());
            if (to == null) {
                problems.add("table " + name + ": column " + column.name() + " is missing in the " + secondaryName
                        + " store; create it (" + column.type().sqlName() + ") or exclude the table");
                continue;
            }
            String why = ValueConverter.incompatibility(column.type(), to.type());
            if (why != null) {
                problems.add("table " + name + ": column " + column.name() + " is " + describe(column) + " in the "
                        + primaryName + " store but " + describe(to) + " in the " + secondaryName + " store (" + why
                        + "); change the " + secondaryName + " column's type or exclude the table");
            }
        }
        if (problems.size() > before) {
            return null;
        }
        List<String> extra = full.columns().stream().map(Column::name).filter(c -> source.indexOf(c) < 0).toList();
        String note = extra.isEmpty() ? "" : "columns only the " + secondaryName + " store has (" + String.join(", ", extra)
                + ") take their defaults on insert";
        return MirroredTable.byRow(source, full, note);
    }

    private static String describe(Column column) {
        String declared = column.declaredType();
        return declared == null || declared.isBlank() ? column.type().sqlName() : declared;
    }

    private static String line(MirroredTable table) {
        StringBuilder out = new StringBuilder(table.name()).append(": ");
        switch (table.mode()) {
            case ROW -> {
                out.append("mirrored by row, key (").append(String.join(", ", table.target().key())).append(')');
                List<String> converted = new ArrayList<>();
                for (Column to : table.target().columns()) {
                    Column from = table.source().column(to.name());
                    if (from.type() != to.type()) {
                        converted.add(to.name() + " " + from.type().typname() + "→" + to.type().typname());
                    }
                }
                if (!converted.isEmpty()) {
                    out.append("; converted: ").append(String.join(", ", converted));
                }
            }
            case STATEMENT -> out.append("mirrored by statement");
            case EXCLUDED -> out.append("excluded");
        }
        if (!table.note().isEmpty()) {
            out.append(table.mode() == MirroredTable.Mode.ROW ? "; " : " (").append(table.note())
                    .append(table.mode() == MirroredTable.Mode.ROW ? "" : ")");
        }
        return out.toString();
    }

    private static Set<String> lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** The plan for the primary's table {@code name} (case-insensitive), or null when the primary has no such table. */
    public MirroredTable table(String name) {
        return byName.get(name);
    }

    public Map<String, MirroredTable> tables() {
        return byName;
    }

    /** One line per table, as logged at startup. */
    public List<String> report() {
        return report;
    }

    /** Logs the report: a line per table, statement-mirrored tables at WARN. */
    public void log() {
        long rows = byName.values().stream().filter(t -> t.mode() == MirroredTable.Mode.ROW).count();
        long statements = byName.values().stream().filter(t -> t.mode() == MirroredTable.Mode.STATEMENT).count();
        log.info("mirror plan: {} tables by row, {} by statement, {} excluded", rows, statements,
                byName.size() - rows - statements);
        for (String line : report) {
            if (line.contains(": mirrored by statement")) {
                log.warn("  {}", line);
            } else {
                log.info("  {}", line);
            }
        }
    }
}
