import Foundation
import ShomeiDomain
import SwiftASN1

/// RFC 5280 §4.1.2.5 / §5.1.2.4 time encoding: UTCTime through 2049, GeneralizedTime from 2050,
/// always UTC with seconds and no fractions.
///
/// Written with integer arithmetic (civil-from-days, after Howard Hinnant) instead of Calendar:
/// a CRL with a million entries encodes a million times, and Calendar costs microseconds each.
enum DERTime {
    static func append(_ date: Date, to serializer: inout DER.Serializer) {
        let (text, isUTCTime) = text(date)
        serializer.appendPrimitiveNode(identifier: isUTCTime ? .utcTime : .generalizedTime) { $0.append(contentsOf: text) }
    }

    /// GeneralizedTime regardless of year, as OCSP (RFC 6960) requires.
    static func appendGeneralized(_ date: Date, to serializer: inout DER.Serializer) {
        serializer.appendPrimitiveNode(identifier: .generalizedTime) { $0.append(contentsOf: generalizedText(date)) }
    }

    static func text(_ date: Date) -> (bytes: [UInt8], isUTCTime: Bool) {
        let fields = civil(date)
        guard fields.year < 2050 else { return (digits(fields.year, 4) + rest(fields), false) }
        return (digits(fields.year % 100, 2) + rest(fields), true)
    }

    static func generalizedText(_ date: Date) -> [UInt8] {
        let fields = civil(date)
        return digits(fields.year, 4) + rest(fields)
    }

    private static func rest(_ f: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)) -> [UInt8] {
        digits(f.month, 2) + digits(f.day, 2) + digits(f.hour, 2) + digits(f.minute, 2) + digits(f.second, 2) + [0x5A]
    }

    private static func digits(_ value: Int, _ count: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0x30, count: count)
        var rest = value
        for index in stride(from: count - 1, through: 0, by: -1) {
            result[index] = 0x30 + UInt8(rest % 10)
            rest /= 10
        }
        return result
    }

    static func civil(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let moment = CivilMoment.utc(date)
        return (moment.day.year, moment.day.month, moment.day.day, moment.hour, moment.minute, moment.second)
    }
}
