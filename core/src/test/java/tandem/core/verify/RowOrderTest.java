package tandem.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RowOrderTest {

    @Test
    void onlyTheOutermostOrderByOrdersTheRows() {
        assertThat(RowOrder.ordersRows("SELECT * FROM users ORDER BY id")).isTrue();
        assertThat(RowOrder.ordersRows("select * from users order\n by id desc limit 3")).isTrue();
        assertThat(RowOrder.ordersRows("SELECT * FROM (SELECT * FROM users ORDER BY id LIMIT 5) t")).isFalse();
        assertThat(RowOrder.ordersRows("SELECT row_number() OVER (ORDER BY id) FROM users")).isFalse();
        assertThat(RowOrder.ordersRows("SELECT 'ORDER BY' FROM users -- order by id")).isFalse();
        assertThat(RowOrder.ordersRows("SELECT \"order\", by FROM t")).isFalse();
    }
}
