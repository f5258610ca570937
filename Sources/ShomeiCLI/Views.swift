import Foundation
import ShomeiDomain

/// What the CLI shows of a user: never the password hash.
struct UserView: Encodable {
    let contract: String
    let user: String
    let name: String
    let role: String
    let email: String
    let status: String
    let createdAt: Date

    init(_ user: User) {
        contract = user.key.contractID.rawValue
        self.user = user.key.userID.rawValue
        name = user.name
        role = user.role.rawValue
        email = user.email.rawValue
        status = user.status.rawValue
        createdAt = user.createdAt
    }

    func text(_ language: Language) -> String {
        "\(contract)\t\(user)\t\(name)\t\(Role(rawValue: role)?.label(language) ?? role)\t\(email)\t\(status)"
    }
}

struct CertificateView: Encodable {
    let serial: String
    let contract: String
    let user: String
    let subject: String
    let notBefore: Date
    let notAfter: Date
    let status: String
    let revokedAt: Date?
    let revocationReason: String?
    let medium: String
    let fingerprintSHA256: String
    let issuedAt: Date

    init(_ record: CertificateRecord) {
        serial = record.serial
        contract = record.owner.contractID.rawValue
        user = record.owner.userID.rawValue
        subject = record.subject
        notBefore = record.notBefore
        notAfter = record.notAfter
        status = record.status.rawValue
        revokedAt = record.revocation?.time
        revocationReason = record.revocation?.reason.rfcName
        medium = record.medium.rawValue
        fingerprintSHA256 = record.fingerprint
        issuedAt = record.issuedAt
    }

    func line(_ language: Language) -> String {
        let status = Message.certificateStatusLabel(self.status == "valid" ? .valid : .revoked).text(language)
        return "\(serial)\t\(contract)/\(user)\t\(status)\t\(TokyoTime.format(notAfter))"
    }

    func details(_ language: Language) -> String {
        var lines = [
            "serial:       \(serial)",
            "user:         \(contract)/\(user)",
            "subject:      \(subject)",
            "valid from:   \(TokyoTime.format(notBefore))",
            "valid until:  \(TokyoTime.format(notAfter))",
            "status:       \(status)",
            "medium:       \(Message.mediumLabel(StorageMedium(rawValue: medium) ?? .pc).text(language))",
            "sha256:       \(fingerprintSHA256)",
        ]
        if let revokedAt, let revocationReason {
            lines.append("revoked at:   \(TokyoTime.format(revokedAt)) (\(revocationReason))")
        }
        return lines.joined(separator: "\n")
    }
}
