import ArgumentParser
import ReflexCore

/// Finds a misspelt command before ArgumentParser does, which would only call it an unexpected
/// argument: the words that choose commands are checked against the command tree, and the
/// closest command is suggested.
enum UnknownCommand {
    /// The problem with the first word of `arguments` that names no command where one is
    /// expected; nil when there is none. Options end the command words.
    static func problem(in arguments: [String], root: any ParsableCommand.Type) -> String? {
        var subcommands = root.configuration.subcommands
        var path = ["reflex"]
        for word in arguments {
            guard !subcommands.isEmpty, !word.hasPrefix("-"), word != "help" else { return nil }
            let names = subcommands.map { name(of: $0) }
            guard let index = names.firstIndex(of: word) else {
                let hint = NearestName.didYouMean(word, among: names)
                return "\(path.joined(separator: " ")): unknown command '\(word)'\(hint) (commands: \(names.joined(separator: ", ")))"
            }
            subcommands = subcommands[index].configuration.subcommands
            path.append(word)
        }
        return nil
    }

    private static func name(of command: any ParsableCommand.Type) -> String {
        command.configuration.commandName ?? "\(command)".lowercased()
    }
}
