package tandem.proxy.session;

/** Chooses where a logged-in client's commands go. */
@FunctionalInterface
public interface BackendFactory {

    Backend create(ClientSession session);
}
