// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ashby-feedback",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ashby-feedback", targets: ["ashby-feedback"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // C: libpq and libcurl, from Debian's libpq-dev and libcurl4-openssl-dev. libpq's header
        // directory comes from pkg-config (libpq.pc), so it builds wherever libpq is installed.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),

        // Small Swift layers over the C libraries.
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        .target(name: "CurlHTTP", dependencies: [
            "CCurl",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // API clients.
        .target(name: "AshbyAPI", dependencies: [
            "CurlHTTP",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SlackAPI", dependencies: [
            "CurlHTTP",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The job: configuration, store, diff, sync engine, reminders, runs.
        .target(name: "AshbyFeedback", dependencies: [
            "Postgres", "CurlHTTP", "AshbyAPI", "SlackAPI",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "ashby-feedback", dependencies: [
            "AshbyFeedback",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Fakes (servers on loopback) and throwaway databases, shared by tests, sandbox and benchmark.
        .target(name: "TestSupport", dependencies: [
            "Postgres", "CurlHTTP",
            .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Local stand-in for Ashby and Slack (the demo): not a product, but `swift build` builds it.
        .executableTarget(name: "ashby-feedback-sandbox", dependencies: ["TestSupport"]),

        // Benchmark (scripts/benchmark.sh): a synthetic tenant on the fakes, the release binary as a child
        // process, and a limit baseline measured in the same run. Never part of the test suite.
        .executableTarget(name: "ashby-feedback-bench", dependencies: ["TestSupport", "Postgres"]),

        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "CurlHTTPTests", dependencies: ["CurlHTTP", "CCurl", "TestSupport"]),
        .testTarget(name: "AshbyAPITests", dependencies: ["AshbyAPI", "TestSupport"]),
        .testTarget(name: "SlackAPITests", dependencies: ["SlackAPI", "TestSupport"]),
        .testTarget(name: "AshbyFeedbackTests", dependencies: ["AshbyFeedback", "TestSupport"], exclude: ["Fixtures"]),
    ]
)
