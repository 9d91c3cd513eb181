import ArgumentParser

SRIOVPreflightCommand.main()
