import ReflexCLI

await ReflexCommand.runMain()
