// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Shomei",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "shomei", targets: ["shomei"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .target(name: "ShomeiDomain"),
        .target(name: "ShomeiPKI", dependencies: [
            "ShomeiDomain",
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        .target(name: "ShomeiStorage", dependencies: [
            "ShomeiDomain",
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "SQLiteKit", package: "sqlite-kit"),
            .product(name: "PostgresKit", package: "postgres-kit"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "ShomeiRA", dependencies: [
            "ShomeiDomain", "ShomeiPKI", "ShomeiStorage",
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        ]),
        .target(name: "ShomeiNotifications", dependencies: [
            "ShomeiDomain", "ShomeiStorage",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.copy("Templates")]),
        .target(name: "ShomeiRevocation", dependencies: [
            "ShomeiDomain", "ShomeiPKI", "ShomeiStorage",
            .product(name: "X509", package: "swift-certificates"),
        ]),
        .target(name: "ShomeiWeb", dependencies: [
            "ShomeiDomain", "ShomeiPKI", "ShomeiStorage", "ShomeiRevocation", "ShomeiRA",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ShomeiCLI", dependencies: [
            "ShomeiDomain", "ShomeiPKI", "ShomeiStorage", "ShomeiRA", "ShomeiRevocation", "ShomeiWeb",
            "ShomeiNotifications",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        .executableTarget(name: "shomei", dependencies: ["ShomeiCLI"]),
        .executableTarget(name: "ShomeiBenchmarks", dependencies: [
            "ShomeiDomain", "ShomeiPKI", "ShomeiStorage", "ShomeiRA", "ShomeiNotifications",
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], path: "Benchmarks/ShomeiBenchmarks"),
        .testTarget(name: "ShomeiTests", dependencies: [
            "ShomeiDomain", "ShomeiPKI", "ShomeiStorage", "ShomeiRA", "ShomeiRevocation", "ShomeiWeb", "ShomeiCLI", "shomei",
            "ShomeiNotifications",
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ], exclude: ["Peers"]),
    ],
    swiftLanguageModes: [.v6]
)
