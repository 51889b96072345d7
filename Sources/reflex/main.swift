import ReflexCLI

ReflexCommand.main()
