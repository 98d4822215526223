package tandem.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Pausing and resuming the admission of new transactions, as a cutover does it. */
class AdmissionGateTest {

    private final AdmissionGate gate = new AdmissionGate();
    private final List<String> resumed = new ArrayList<>();

    @Test
    void anOpenGateAdmitsEverySessionAtOnce() {
        assertThat(gate.admit(() -> resumed.add("a"))).isTrue();
        assertThat(gate.admit(() -> resumed.add("b"))).isTrue();
        assertThat(gate.inside()).isEqualTo(2);
        assertThat(resumed).isEmpty();
    }

    @Test
    void closingAGateNobodyIsInsideIsDrainedAtOnce() {
        assertThat(gate.close()).isCompleted();
        assertThat(gate.isOpen()).isFalse();
    }

    @Test
    void closingWaitsForTheTransactionsInsideToEnd() {
        gate.admit(() -> { });
        gate.admit(() -> { });
        CompletableFuture<Void> drained = gate.close();
        assertThat(drained).isNotDone();
        gate.leave();
        assertThat(drained).isNotDone();
        gate.leave();
        assertThat(drained).isCompleted();
    }

    @Test
    void aSessionArrivingAtAClosedGateWaitsAndIsAdmittedWhenItOpens() {
        gate.close();
        assertThat(gate.admit(() -> resumed.add("a"))).isFalse();
        assertThat(gate.admit(() -> resumed.add("b"))).isFalse();
        assertThat(gate.waiting()).isEqualTo(2);
        assertThat(resumed).isEmpty();
        gate.open();
        assertThat(resumed).containsExactly("a", "b");
        assertThat(gate.inside()).isEqualTo(2);
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void aSessionOnAThreadOfItsOwnBlocksAtAClosedGateUntilItOpens() throws Exception {
        gate.close();
        CompletableFuture<Void> admitted = CompletableFuture.runAsync(() -> {
            try {
                gate.admitWaiting();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (gate.waiting() == 0) {
            Thread.onSpinWait();
        }
        assertThat(admitted).isNotDone();
        gate.open();
        admitted.get(10, TimeUnit.SECONDS);
        assertThat(gate.inside()).isEqualTo(1);
    }

    @Test
    void aSessionThatGivesUpWaitingIsNotCountedWhenTheGateOpens() throws Exception {
        gate.close();
        Thread waiter = new Thread(() -> {
            try {
                gate.admitWaiting();
            } catch (InterruptedException expected) {
                resumed.add("gave up");
            }
        });
        waiter.start();
        while (gate.waiting() == 0) {
            Thread.onSpinWait();
        }
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(resumed).containsExactly("gave up");
        assertThat(gate.waiting()).isZero();
        gate.open();
        assertThat(gate.inside()).isZero();
        assertThat(gate.close()).isCompleted();
    }

    @Test
    void closingTwiceGivesTheSameDrain() {
        gate.admit(() -> { });
        assertThat(gate.close()).isSameAs(gate.close());
    }

    @Test
    void leavingWithoutHavingBeenAdmittedIsABug() {
        assertThatThrownBy(gate::leave).isInstanceOf(IllegalStateException.class);
    }
}
