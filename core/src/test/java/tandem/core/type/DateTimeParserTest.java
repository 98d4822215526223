package tandem.core.type;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

class DateTimeParserTest {

    private static final LocalDateTime EPOCH_2000 = LocalDateTime.of(2000, 1, 1, 0, 0);

    @Test
    void epochDayAgreesWithLocalDateOnEveryDayOfFourDigitYears() {
        for (LocalDate d = LocalDate.of(1, 1, 1); d.getYear() <= 9999; d = d.plusDays(1)) {
            assertEquals(d.toEpochDay(), DateTimeParser.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth()), d::toString);
        }
    }

    @Test
    void plainTimestampReadsWhatLocalDateTimeReads() {
        for (String text : new String[] {"2024-02-29 23:59:59.999999", "2000-01-01 00:00:00", "1999-12-31T23:59:59.5",
                "0001-01-01 00:00:00", "9999-12-31 23:59:59", "1900-03-01 12:00:00.000001", "2025-02-02 01:01:01"}) {
            LocalDateTime t = LocalDateTime.parse(text.replace(' ', 'T'));
            assertEquals(ChronoUnit.MICROS.between(EPOCH_2000, t), DateTimeParser.plainTimestamp(text), text);
        }
    }

    @Test
    void plainTimestampLeavesImpossibleDatesToTheParser() {
        for (String text : new String[] {"2023-02-29 00:00:00", "1900-02-29 00:00:00", "2024-04-31 00:00:00",
                "2024-13-01 00:00:00", "0000-01-01 00:00:00", "2024-01-01 24:00:00", "2024-01-01 00:00:60",
                "2024-01-01 00:00:00+02", "2024-01-01"}) {
            assertEquals(DateTimeParser.NOT_PLAIN, DateTimeParser.plainTimestamp(text), text);
        }
    }
}
