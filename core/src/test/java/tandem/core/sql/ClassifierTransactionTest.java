package tandem.core.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static tandem.core.sql.TransactionControl.Command.BEGIN;
import static tandem.core.sql.TransactionControl.Command.COMMIT;
import static tandem.core.sql.TransactionControl.Command.COMMIT_PREPARED;
import static tandem.core.sql.TransactionControl.Command.PREPARE_TRANSACTION;
import static tandem.core.sql.TransactionControl.Command.RELEASE;
import static tandem.core.sql.TransactionControl.Command.ROLLBACK;
import static tandem.core.sql.TransactionControl.Command.ROLLBACK_PREPARED;
import static tandem.core.sql.TransactionControl.Command.ROLLBACK_TO;
import static tandem.core.sql.TransactionControl.Command.SAVEPOINT;
import static tandem.core.sql.TransactionControl.Command.SET_TRANSACTION;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClassifierTransactionTest {

    private final StatementClassifier classifier = new StatementClassifier();

    private TransactionControl control(String sql) {
        Classification classification = classifier.classify(sql);
        assertThat(classification.kind()).as(sql).isEqualTo(StatementKind.TRANSACTION);
        assertThat(classification.set()).isNull();
        return classification.transaction();
    }

    @ParameterizedTest
    @ValueSource(strings = {"BEGIN", "begin work", "BEGIN TRANSACTION", "START TRANSACTION", "BEGIN IMMEDIATE",
        "BEGIN DEFERRED TRANSACTION"})
    void beginsATransaction(String sql) {
        assertThat(control(sql)).isEqualTo(new TransactionControl(BEGIN, null, null, false, null, false));
    }

    @Test
    void readsTransactionModes() {
        TransactionControl control = control("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY, DEFERRABLE");
        assertThat(control.command()).isEqualTo(BEGIN);
        assertThat(control.isolationLevel()).isEqualTo("repeatable read");
        assertThat(control.readOnly()).isTrue();
        assertThat(control("START TRANSACTION READ WRITE ISOLATION LEVEL SERIALIZABLE").isolationLevel())
                .isEqualTo("serializable");
        assertThat(control("START TRANSACTION READ WRITE").readOnly()).isFalse();
        assertThat(control("begin isolation level read committed").isolationLevel()).isEqualTo("read committed");
        assertThat(control("BEGIN ISOLATION LEVEL READ UNCOMMITTED").isolationLevel()).isEqualTo("read uncommitted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMMIT", "COMMIT WORK", "commit transaction", "END", "END TRANSACTION"})
    void commits(String sql) {
        TransactionControl control = control(sql);
        assertThat(control.command()).isEqualTo(COMMIT);
        assertThat(control.chain()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ROLLBACK", "ROLLBACK WORK", "ABORT", "abort transaction"})
    void rollsBack(String sql) {
        assertThat(control(sql).command()).isEqualTo(ROLLBACK);
    }

    @Test
    void readsAndChain() {
        assertThat(control("COMMIT AND CHAIN").chain()).isTrue();
        assertThat(control("ROLLBACK WORK AND CHAIN").chain()).isTrue();
        assertThat(control("COMMIT AND NO CHAIN").chain()).isFalse();
        assertThat(classifier.classify("COMMIT AND CHAIN").command()).isEqualTo("COMMIT");
    }

    @Test
    void savepointsCarryTheirNormalizedName() {
        assertThat(control("SAVEPOINT Sp1")).isEqualTo(new TransactionControl(SAVEPOINT, "sp1", null, false, null, false));
        assertThat(control("SAVEPOINT \"Sp1\"").savepoint()).isEqualTo("Sp1");
        assertThat(control("RELEASE SAVEPOINT sp1")).isEqualTo(new TransactionControl(RELEASE, "sp1", null, false, null, false));
        assertThat(control("RELEASE sp1").savepoint()).isEqualTo("sp1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ROLLBACK TO sp1", "ROLLBACK TO SAVEPOINT sp1", "ROLLBACK WORK TO SAVEPOINT SP1",
        "ROLLBACK TRANSACTION TO sp1"})
    void rollsBackToASavepoint(String sql) {
        assertThat(control(sql)).isEqualTo(new TransactionControl(ROLLBACK_TO, "sp1", null, false, null, false));
        assertThat(classifier.classify(sql).command()).isEqualTo("ROLLBACK");
    }

    @Test
    void twoPhaseCommitCarriesTheGlobalId() {
        assertThat(control("PREPARE TRANSACTION 'tx-1'"))
                .isEqualTo(new TransactionControl(PREPARE_TRANSACTION, null, "tx-1", false, null, false));
        assertThat(control("COMMIT PREPARED 'tx-1'").command()).isEqualTo(COMMIT_PREPARED);
        assertThat(control("ROLLBACK PREPARED 'tx-1'").gid()).isEqualTo("tx-1");
        assertThat(control("ROLLBACK PREPARED 'tx-1'").command()).isEqualTo(ROLLBACK_PREPARED);
    }

    @Test
    void setTransactionIsTransactionControl() {
        TransactionControl control = control("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
        assertThat(control.command()).isEqualTo(SET_TRANSACTION);
        assertThat(control.isolationLevel()).isEqualTo("repeatable read");
        assertThat(control.readOnly()).isTrue();
        assertThat(control("SET SESSION TRANSACTION READ ONLY").readOnly()).isTrue();
        assertThat(control("SET TRANSACTION SNAPSHOT '00000003-0000001B-1'").command()).isEqualTo(SET_TRANSACTION);
    }

    @Test
    void nonTransactionStatementsHaveNoTransactionControl() {
        assertThat(classifier.classify("SELECT 1").transaction()).isNull();
        assertThat(classifier.classify("SET search_path TO app").transaction()).isNull();
    }

    @Test
    void malformedSavepointsAreOther() {
        assertThat(classifier.classify("SAVEPOINT").kind()).isEqualTo(StatementKind.OTHER);
        assertThat(classifier.classify("ROLLBACK TO").kind()).isEqualTo(StatementKind.OTHER);
        assertThat(classifier.classify("COMMIT PREPARED").kind()).isEqualTo(StatementKind.OTHER);
    }
}
