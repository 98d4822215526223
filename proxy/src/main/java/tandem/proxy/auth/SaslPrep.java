package tandem.proxy.auth;

import java.text.Normalizer;

/**
 * SASLprep (RFC 4013) of a SCRAM password, as PostgreSQL applies it on both sides: pure ASCII
 * stays as it is; otherwise spaces are mapped, ignorable characters removed, NFKC applied, and if
 * a prohibited character remains the password is used unprepared (PostgreSQL does the same rather
 * than refuse the password). Not checked: unassigned code points (stringprep's Unicode 3.2 table
 * A.1), which only matter for passwords with characters newer than Unicode 3.2.
 */
final class SaslPrep {

    private SaslPrep() {
    }

    static String prepare(String password) {
        if (password.chars().allMatch(c -> c < 0x80)) {
            return password;
        }
        StringBuilder mapped = new StringBuilder(password.length());
        password.codePoints().forEach(c -> {
            if (isNonAsciiSpace(c)) {
                mapped.append(' ');
            } else if (!isMappedToNothing(c)) {
                mapped.appendCodePoint(c);
            }
        });
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        if (normalized.codePoints().anyMatch(SaslPrep::isProhibited) || !bidiOk(normalized) || normalized.isEmpty()) {
            return password;
        }
        return normalized;
    }

    /** RFC 3454 C.1.2. */
    private static boolean isNonAsciiSpace(int c) {
        return c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    /** RFC 3454 B.1. */
    private static boolean isMappedToNothing(int c) {
        return c == 0x00AD || c == 0x034F || c == 0x1806 || (c >= 0x180B && c <= 0x180D) || (c >= 0x200B && c <= 0x200D)
                || c == 0x2060 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF;
    }

    /** RFC 4013 section 2.3: tables C.1.2 and C.2.1 to C.9. */
    private static boolean isProhibited(int c) {
        return isNonAsciiSpace(c)
                || c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)                            // C.2.1, C.2.2
                || c == 0x06DD || c == 0x070F || c == 0x180E || c == 0x200C || c == 0x200D
                || c == 0x2028 || c == 0x2029 || (c >= 0x2060 && c <= 0x2063) || c == 0xFEFF
                || (c >= 0x1D173 && c <= 0x1D17A)                                                 // C.2.2
                || (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xF0000 && c <= 0xFFFFD)
                || (c >= 0x100000 && c <= 0x10FFFD)                                               // C.3
                || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE                         // C.4
                || (c >= 0xD800 && c <= 0xDFFF)                                                   // C.5
                || (c >= 0xFFF9 && c <= 0xFFFD)                                                   // C.6
                || (c >= 0x2FF0 && c <= 0x2FFB)                                                   // C.7
                || c == 0x0340 || c == 0x0341 || c == 0x200E || c == 0x200F
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x206A && c <= 0x206F)                   // C.8
                || c == 0xE0001 || (c >= 0xE0020 && c <= 0xE007F);                               // C.9
    }

    /** RFC 3454 section 6: with right-to-left characters, no left-to-right ones, and RTL at both ends. */
    private static boolean bidiOk(String s) {
        boolean hasRtl = s.codePoints().anyMatch(SaslPrep::isRtl);
        if (!hasRtl) {
            return true;
        }
        boolean hasLtr = s.codePoints().anyMatch(c -> Character.getDirectionality(c) == Character.DIRECTIONALITY_LEFT_TO_RIGHT);
        return !hasLtr && isRtl(s.codePointAt(0)) && isRtl(s.codePointBefore(s.length()));
    }

    private static boolean isRtl(int c) {
        byte d = Character.getDirectionality(c);
        return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }
}
