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
    ],
    targets: [
        // The pure core: policy model, expressions, evaluation, guardrails. No I/O.
        .target(name: "ReflexCore"),
        // YAML policy and policy-test files -> validated core values, with file:line:col errors.
        .target(
            name: "ReflexPolicyFile",
            dependencies: ["ReflexCore", .product(name: "Yams", package: "Yams")]
        ),
        // The command tree; `reflex` is only its entry point.
        .target(
            name: "ReflexCLI",
            dependencies: [
                "ReflexCore", "ReflexPolicyFile",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "reflex", dependencies: ["ReflexCLI"]),
        .testTarget(name: "ReflexCoreTests", dependencies: ["ReflexCore"]),
        .testTarget(name: "ReflexPolicyFileTests", dependencies: ["ReflexPolicyFile"]),
        .testTarget(name: "ReflexCLITests", dependencies: ["ReflexCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
