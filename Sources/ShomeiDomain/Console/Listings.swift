// Rows as the bank console lists them, with the names it shows joined in.

/// A certificate as the console lists it: with its holder's name.
public struct CertificateListing: Sendable, Equatable {
    public let record: CertificateRecord
    public let holderName: String

    public init(record: CertificateRecord, holderName: String) {
        self.record = record
        self.holderName = holderName
    }
}

/// An application as the bank's inbox lists it: with the contract's name.
public struct ApplicationListing: Sendable, Equatable {
    public let application: Application
    public let contractName: String

    public init(application: Application, contractName: String) {
        self.application = application
        self.contractName = contractName
    }
}
