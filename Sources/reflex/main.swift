import ReflexCLI

ReflexCommand.runMain()
