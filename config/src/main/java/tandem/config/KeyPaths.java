package tandem.config;

/** Dotted key paths as problems name them: {@code stores.new.pool.mode}, {@code users[1].name}. */
final class KeyPaths {

    private KeyPaths() {
    }

    static String key(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** Whether {@code path} is {@code ancestor} or lies under it; "" (the top) holds only itself. */
    static boolean isWithin(String path, String ancestor) {
        if (path.equals(ancestor)) {
            return true;
        }
        if (ancestor.isEmpty() || path.length() <= ancestor.length() || !path.startsWith(ancestor)) {
            return false;
        }
        char next = path.charAt(ancestor.length());
        return next == '.' || next == '[';
    }

    /** The path one level up: {@code stores.new} for {@code stores.new.url}, "" at the top. */
    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
