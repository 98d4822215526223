package tandem.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code tandem.yaml}: parses the YAML, substitutes {@code ${ENV}} references in scalar
 * values, binds every key to the records and checks the {@link ConfigRules}, then throws one
 * {@link ConfigException} with every problem found, or returns a valid {@link TandemConfig}.
 *
 * <p>Each section has one binder method below, and each key one getter call in it; a getter call is
 * also what makes a key known, so a key added here is accepted and any other is reported as unknown.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** Loads {@code file}, substituting from the process environment. */
    public static TandemConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** Loads {@code file}, substituting from {@code env}. */
    public static TandemConfig load(Path file, Map<String, String> env) {
        return parse(read(file), env, file.toString());
    }

    /**
     * Parses YAML text.
     *
     * @param sourceName names the text in messages, usually its file name
     */
    public static TandemConfig parse(String yaml, Map<String, String> env, String sourceName) {
        Problems problems = new Problems();
        YamlNode document = YamlReader.read(yaml, sourceName, problems);
        Section root = Section.root(document, new Section.Context(Map.copyOf(env), problems));

        HostPort listen = root.hostPort("listen", TandemConfig.DEFAULT_LISTEN);
        String database = root.string("database");
        AdminConfig admin = admin(root.section("admin"));
        List<UserConfig> users = users(root.sections("users"));
        StoresConfig stores = stores(root.section("stores"));
        LimitsConfig limits = limits(root.section("limits"));
        int ioThreads = root.integer("ioThreads", 0);
        Section migrationSection = root.section("migration");
        MigrationConfig migration = migration(migrationSection);
        SchemaConfig schema = schema(root.section("schema"));
        root.finish();

        TandemConfig config = null;
        try {
            config = new TandemConfig(listen, database, admin, users, stores, limits, ioThreads, migration, schema);
            if (migrationSection.isPresent() && stores.newStore() == null) {
                throw new ConfigException(null, List.of(new ConfigProblem("migration",
                        "is configured but stores.new is not; add the PostgreSQL store to migrate to", 0)));
            }
        } catch (ConfigException e) {
            // a value that failed to bind took its default or null; don't also report what follows from that
            List<ConfigProblem> ruleProblems = e.problems().stream()
                    .filter(rule -> !problems.covers(rule.path()))
                    .map(rule -> rule.atLine(lineOf(document, rule.path())))
                    .toList();
            ruleProblems.forEach(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(sourceName, problems.inFileOrder());
        }
        return config;
    }

    private static AdminConfig admin(Section s) {
        AdminConfig d = AdminConfig.defaults();
        return new AdminConfig(
                s.hostPort("listen", d.listen()),
                s.string("token"));
    }

    private static List<UserConfig> users(List<Section> sections) {
        List<UserConfig> users = new ArrayList<>();
        for (Section s : sections) {
            users.add(new UserConfig(
                    s.string("name"),
                    s.string("password")));
        }
        return users;
    }

    private static StoresConfig stores(Section s) {
        return new StoresConfig(
                store(s.section(StoreConfig.OLD), StoreConfig.OLD),
                store(s.section(StoreConfig.NEW), StoreConfig.NEW));
    }

    private static StoreConfig store(Section s, String role) {
        String url = s.string("url");
        String user = s.string("user");
        String password = s.string("password");
        boolean sqlite = JdbcUrls.isSqlite(url);
        PoolConfig pool = pool(s.section("pool"), sqlite ? PoolMode.TRANSACTION : PoolMode.SESSION);
        Section sqliteSection = s.section("sqlite");
        // a PostgreSQL store with a sqlite block keeps it, so that the rules can say it doesn't belong
        SqliteConfig sqliteConfig = sqlite || sqliteSection.isPresent() ? sqlite(sqliteSection) : null;
        return !s.isPresent() ? null : new StoreConfig(role, url, user, password, pool, sqliteConfig);
    }

    private static PoolConfig pool(Section s, PoolMode defaultMode) {
        PoolConfig d = PoolConfig.defaults(defaultMode);
        return new PoolConfig(
                s.choice("mode", PoolMode.class, d.mode()),
                s.integer("maxSize", d.maxSize()),
                s.integer("minIdle", d.minIdle()),
                s.duration("acquireTimeout", d.acquireTimeout()),
                s.duration("connectTimeout", d.connectTimeout()),
                s.duration("idleTimeout", d.idleTimeout()),
                s.duration("maxLifetime", d.maxLifetime()));
    }

    private static SqliteConfig sqlite(Section s) {
        SqliteConfig d = SqliteConfig.defaults();
        return new SqliteConfig(
                s.duration("busyTimeout", d.busyTimeout()),
                s.integer("readers", d.readers()));
    }

    private static MigrationConfig migration(Section s) {
        MigrationConfig d = MigrationConfig.defaults();
        Section mirror = s.section("mirror");
        Section reads = s.section("reads");
        Section shadow = s.section("shadow");
        Section plan = s.section("plan");
        Section guard = s.section("guard");
        PlanConfig p = d.plan();
        GuardConfig g = d.guard();
        return new MigrationConfig(
                s.strings("tables"),
                s.strings("exclude"),
                s.choice("keyless", MigrationConfig.KeylessTables.class, d.keyless()),
                mirror.duration("timeout", d.mirrorTimeout()),
                reads.integer("percent", d.readPercent()),
                shadow.decimal("sample", d.shadowSample(), 0, 1),
                new PlanConfig(plan.stages("stages", p.stages()), plan.duration("hold", p.hold())),
                new GuardConfig(guard.duration("window", g.window()), guard.integer("minimumCalls", g.minimumCalls()),
                        guard.decimal("errorRate", g.errorRate(), 0, 1), guard.duration("latencyP99", g.latencyP99()),
                        guard.decimal("mismatchRate", g.mismatchRate(), 0, 1),
                        guard.decimal("mirrorFailureRate", g.mirrorFailureRate(), 0, 1)),
                s.section("cutover").duration("pause", d.cutoverPause()));
    }

    private static SchemaConfig schema(Section s) {
        return new SchemaConfig(s.stringMap("columns", "a mapping of table.column to a type, such as "
                + "{users.created_at: timestamptz}"));
    }

    private static LimitsConfig limits(Section s) {
        LimitsConfig d = LimitsConfig.defaults();
        return new LimitsConfig(
                s.integer("maxClientConnections", d.maxClientConnections()),
                s.size("maxMessageSize", d.maxMessageSize()),
                s.duration("clientIdleTimeout", d.clientIdleTimeout()));
    }

    private static String read(Path file) {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw ConfigException.unreadable(source, "it is a directory, not a file");
        }
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw ConfigException.unreadable(source, "no such file (looked for " + file.toAbsolutePath() + ")");
        } catch (AccessDeniedException e) {
            throw ConfigException.unreadable(source, "permission denied");
        } catch (CharacterCodingException e) {
            throw ConfigException.unreadable(source, "it is not UTF-8 text");
        } catch (IOException e) {
            throw ConfigException.unreadable(source, String.valueOf(e.getMessage()));
        }
    }

    /**
     * The line of the key at {@code path}, or of the nearest key above it that is in the file (a
     * missing {@code stores.old} points at {@code stores}); 0 when none is.
     */
    static int lineOf(YamlNode root, String path) {
        for (String p = path; !p.isEmpty(); p = KeyPaths.parent(p)) {
            int line = lineOfKey(root, p);
            if (line > 0) {
                return line;
            }
        }
        return 0;
    }

    private static int lineOfKey(YamlNode root, String path) {
        YamlNode node = root;
        int line = 0;
        for (String step : steps(path)) {
            if (node instanceof YamlNode.Mapping m && m.entries().containsKey(step)) {
                line = m.keyLines().get(step);
                node = m.entries().get(step);
            } else if (node instanceof YamlNode.Sequence s && step.startsWith("[")) {
                int index = Integer.parseInt(step.substring(1, step.length() - 1));
                if (index >= s.items().size()) {
                    return 0;
                }
                node = s.items().get(index);
                line = node.line();
            } else {
                return 0;
            }
        }
        return line;
    }

    /** {@code users[1].name} → users, [1], name. */
    private static List<String> steps(String path) {
        List<String> steps = new ArrayList<>();
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            if (bracket < 0) {
                steps.add(part);
                continue;
            }
            steps.add(part.substring(0, bracket));
            for (String index : part.substring(bracket).split("(?=\\[)")) {
                steps.add(index);
            }
        }
        return steps;
    }
}
