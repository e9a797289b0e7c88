"""The `beboer` command line: one entry point gathering the commands of each package."""
