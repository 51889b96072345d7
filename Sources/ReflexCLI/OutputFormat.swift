import ArgumentParser

/// How a listing command prints: a table for people, JSON for programs.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
