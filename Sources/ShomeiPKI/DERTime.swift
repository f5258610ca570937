import Foundation
import ShomeiDomain
import SwiftASN1

/// RFC 5280 §4.1.2.5 / §5.1.2.4 time encoding: UTCTime through 2049, GeneralizedTime from 2050,
/// always UTC with seconds and no fractions.
///
/// Built on `CivilMoment` (integer civil-from-days arithmetic) instead of Calendar:
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
        let moment = CivilMoment.utc(date)
        guard moment.day.year < 2050 else { return (digits(moment.day.year, 4) + rest(moment), false) }
        return (digits(moment.day.year % 100, 2) + rest(moment), true)
    }

    static func generalizedText(_ date: Date) -> [UInt8] {
        let moment = CivilMoment.utc(date)
        return digits(moment.day.year, 4) + rest(moment)
    }

    private static func rest(_ m: CivilMoment) -> [UInt8] {
        digits(m.day.month, 2) + digits(m.day.day, 2) + digits(m.hour, 2) + digits(m.minute, 2) + digits(m.second, 2) + [0x5A]
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
}
