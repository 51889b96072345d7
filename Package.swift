// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Reflex",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "reflex", targets: ["reflex"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // The pure core: policy model, expressions, evaluation, guardrails. No I/O.
        .target(name: "ReflexCore"),
        // YAML policy and policy-test files -> validated core values, with file:line:col errors.
        .target(
            name: "ReflexPolicyFile",
            dependencies: ["ReflexCore", .product(name: "Yams", package: "Yams")]
        ),
        // libcurl, through typed wrappers of its variadic calls.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // HTTP over libcurl behind a small protocol: timeouts, TLS verification, proxies.
        .target(name: "ReflexHTTP", dependencies: ["CCurl"]),
        // AWS access: SigV4, credentials, retries, CloudWatch metrics, ECS, DynamoDB, Auto Scaling.
        .target(
            name: "ReflexAWS",
            dependencies: [
                "ReflexCore", "ReflexHTTP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libsystemd: sd_notify, the watchdog, the journal.
        .systemLibrary(name: "CSystemd", providers: [.apt(["libsystemd-dev"])]),
        .target(
            name: "ReflexSystemd",
            dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")]
        ),
        // The decision log: SQLite (WAL) with a hash chain, queries for auditors, retention.
        .target(
            name: "ReflexAudit",
            dependencies: [
                "ReflexCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The action pipeline and, later, the daemon's services: core logic driven through ports.
        .target(
            name: "ReflexRuntime",
            dependencies: [
                "ReflexCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // HTTP probes as series: the runbook's /health and /ready endpoints.
        .target(name: "ReflexProbes", dependencies: ["ReflexCore", "ReflexHTTP"]),
        // Webhooks from a durable outbox: signing, retries, Slack.
        .target(
            name: "ReflexWebhooks",
            dependencies: [
                "ReflexCore", "ReflexHTTP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The command tree; `reflex` is only its entry point.
        .target(
            name: "ReflexCLI",
            dependencies: [
                "ReflexCore", "ReflexPolicyFile", "ReflexAudit", "ReflexAWS", "ReflexRuntime", "ReflexSystemd", "ReflexWebhooks", "ReflexHTTP", "ReflexProbes",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "reflex", dependencies: ["ReflexCLI"]),
        // Measures Reflex: `swift run -c release reflex-bench`.
        .executableTarget(
            name: "reflex-bench",
            dependencies: ["ReflexCore", "ReflexAudit", "ReflexPolicyFile", "ReflexRuntime", "ReflexTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "ReflexCoreTests", dependencies: ["ReflexCore"]),
        .testTarget(name: "ReflexPolicyFileTests", dependencies: ["ReflexPolicyFile"]),
        .testTarget(name: "ReflexAuditTests", dependencies: ["ReflexAudit"]),
        // The local AWS emulator harness that integration tests share.
        .target(
            name: "ReflexTestSupport",
            dependencies: ["ReflexAWS", "ReflexCore", "ReflexHTTP", .product(name: "Logging", package: "swift-log")],
            path: "Tests/Support",
            exclude: ["aws_emulator.py", "webhook_receiver.py"]
        ),
        .testTarget(
            name: "ReflexAWSTests",
            dependencies: ["ReflexAWS", "ReflexHTTP", "ReflexTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "ReflexRuntimeTests",
            dependencies: ["ReflexRuntime", "ReflexAudit", "ReflexAWS", "ReflexTestSupport"]
        ),
        .testTarget(
            name: "ReflexWebhooksTests",
            dependencies: [
                "ReflexWebhooks", "ReflexAudit", "ReflexHTTP", "ReflexTestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "ReflexCLITests", dependencies: ["ReflexCLI", "ReflexAudit", "ReflexCore", "ReflexTestSupport"]),
        // A child process for crash tests, killed with SIGKILL by the tests.
        .executableTarget(
            name: "crash-child",
            dependencies: ["ReflexAudit", "ReflexAWS", "ReflexRuntime", "ReflexCore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/CrashChild"
        ),
    ],
    swiftLanguageModes: [.v6]
)
