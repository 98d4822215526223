package tandem.config;

/**
 * A user clients may log in to tandem as, with a password.
 *
 * @param name the user name clients send; unique
 * @param password non-empty
 */
public record UserConfig(String name, String password) {

    @Override
    public String toString() {
        return "UserConfig[name=" + name + ", password=" + Secrets.mask(password) + "]";
    }
}
